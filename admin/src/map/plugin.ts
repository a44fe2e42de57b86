/**
 * Build-time files of the maps (a Vite plugin, run in Node by admin/vite.config.ts):
 * - `tiles.json`: the base-map settings from `VITE_TILE_*` (the one place the console and the
 *   resident page read them at run time; replace the file to point a build elsewhere);
 * - `resident/vendor/`: Leaflet as published (its UMD build, from node_modules at the locked
 *   version), and `crs.js`, our WGS84 ⇄ GCJ-02 arithmetic (core/geo/crs-math.ts, the server's and the
 *   console's) built here as a browser script exposing `window.wanggeCrs` — not gcoord's browser
 *   build, whose inverse never ends near its box's edge — for the resident page, which has no build
 *   step of its own and loads them only when tiles are configured.
 * The dev server serves the same files.
 */
import { readFileSync } from "node:fs";
import { buildSync } from "esbuild";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { tileSettings } from "./geo.ts";

const modules = fileURLToPath(new URL("../../../node_modules/", import.meta.url));

/** site path → file in node_modules */
export const RESIDENT_VENDOR: Record<string, string> = {
  "resident/vendor/leaflet.js": "leaflet/dist/leaflet.js",
  "resident/vendor/leaflet.css": "leaflet/dist/leaflet.css",
};

/** `resident/vendor/crs.js`: core/geo/crs-math.ts as a minified browser script, `window.wanggeCrs.convert(lng, lat, from, to)`. */
export function residentCrsScript(): string {
  const entry = fileURLToPath(new URL("../../../core/geo/crs-math.ts", import.meta.url));
  const out = buildSync({ entryPoints: [entry], bundle: true, format: "iife", globalName: "wanggeCrs", target: "es2017", minify: true, write: false, logLevel: "silent" });
  return out.outputFiles[0].text;
}

/** `tiles.json` for an environment: the settings, or `{}` (no tiles). */
export function tilesJson(env: Record<string, string | undefined>): string {
  return `${JSON.stringify(tileSettings(env) ?? {}, null, 2)}\n`;
}

const TYPES: Record<string, string> = { json: "application/json", js: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8" };

export function mapFiles(): Plugin {
  let env: Record<string, string | undefined> = {};
  const files = (): Record<string, string | Buffer> => ({
    "tiles.json": tilesJson(env),
    ...Object.fromEntries(Object.entries(RESIDENT_VENDOR).map(([path, file]) => [path, readFileSync(modules + file)])),
    "resident/vendor/crs.js": residentCrsScript(),
  });
  return {
    name: "wangge-map-files",
    configResolved(config) {
      // VITE_* from .env files and the process environment (as import.meta.env gets them)
      env = config.env as Record<string, string | undefined>;
    },
    generateBundle() {
      for (const [fileName, source] of Object.entries(files())) this.emitFile({ type: "asset", fileName, source });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? "").split("?")[0].replace(/^\//, "");
        const body = files()[path];
        if (body === undefined) return next();
        res.setHeader("content-type", TYPES[path.split(".").pop() ?? ""] ?? "application/octet-stream");
        res.end(body);
      });
    },
  };
}
