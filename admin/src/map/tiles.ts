/**
 * The base map's tile source, read at run time from `/tiles.json` (written by the build from
 * `VITE_TILE_*`: admin/src/map/plugin.ts), so one build can be pointed at Tianditu (CGCS2000, no
 * shift) or AMap/Tencent tiles (GCJ-02) by replacing that one file, and the resident page (no build
 * step) reads the same settings. Without the file (the Vite dev server without the plugin, an old
 * deployment) the build's own variables are used. docs/deploy.md "Map tiles".
 */
import { useEffect, useState } from "react";
import { tileSettings, tilesFromJson, type TileSettings } from "./geo.ts";

const fromBuild = (): TileSettings | undefined => tileSettings(import.meta.env as unknown as Record<string, string | undefined>);

let loading: Promise<TileSettings | undefined> | undefined;
let loaded: { tiles: TileSettings | undefined } | undefined;

/** The tile settings (one request per page load; `undefined`: no tiles, a blank background). */
export function loadTiles(): Promise<TileSettings | undefined> {
  loading ??= fetch(`${import.meta.env.BASE_URL ?? "/"}tiles.json`, { cache: "no-cache" })
    .then(async (r) => {
      if (!r.ok || !(r.headers.get("content-type") ?? "").includes("json")) return fromBuild();
      return tilesFromJson(await r.json());
    })
    .catch(() => fromBuild())
    .then((tiles) => {
      loaded = { tiles };
      return tiles;
    });
  return loading;
}

/** For components: `ready` once the settings are known (maps wait for it: clicks depend on the crs). */
export function useTiles(): { ready: boolean; tiles: TileSettings | undefined } {
  const [state, setState] = useState(loaded);
  useEffect(() => {
    if (state) return;
    let live = true;
    void loadTiles().then((tiles) => live && setState({ tiles }));
    return () => {
      live = false;
    };
  }, [state]);
  return { ready: !!state, tiles: state?.tiles };
}
