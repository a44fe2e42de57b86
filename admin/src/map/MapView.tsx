/**
 * A Leaflet map of boundaries (polygons) and points. Base tiles only when the site's `tiles.json`
 * names a source (Tianditu, AMap…; written by the build from `VITE_TILE_*`, read at run time:
 * ./tiles.ts); without them the shapes are drawn on a plain background, which is enough
 * to check a boundary or see where a case is. Points are circle markers (no image assets).
 */
import "leaflet/dist/leaflet.css";
import { useEffect, useMemo } from "react";
import { Box, Skeleton } from "@mui/material";
import type { GeoJsonObject } from "geojson";
import { CircleMarker, GeoJSON, MapContainer, ScaleControl, TileLayer, Tooltip, useMap, useMapEvents } from "react-leaflet";
import { boundaryToDisplay, boundsOf, fromDisplay, toDisplay, type Boundary, type LatLngBounds, type TileSettings } from "./geo.ts";
import { useTiles } from "./tiles.ts";

export interface MapShape {
  id: string;
  boundary: Boundary;
  label?: string;
  color?: string;
  /** dashed outline, light fill: context (children, neighbours) rather than the subject */
  secondary?: boolean;
}

export interface MapPoint {
  id: string;
  lng: number;
  lat: number;
  label?: string;
  color?: string;
}

export interface MapViewProps {
  shapes?: MapShape[];
  points?: MapPoint[];
  /** called with the clicked position (a location picker) */
  onPick?: (lng: number, lat: number) => void;
  height?: number | string;
  /** fit to these shapes and points only (default: all of them) */
  focus?: { shapes?: MapShape[]; points?: MapPoint[] };
  "data-testid"?: string;
}

/** Somewhere to look when there is nothing to show (China). */
const FALLBACK_CENTER: [number, number] = [35, 105];

const FitBounds = ({ bounds }: { bounds: LatLngBounds | undefined }) => {
  const map = useMap();
  const key = bounds ? bounds.flat().join(",") : "";
  useEffect(() => {
    if (!bounds) return;
    const [[s, w], [n, e]] = bounds;
    // no animation: a map unmounted mid-animation (e.g. a language switch re-renders the page)
    // makes Leaflet read `_leaflet_pos` of a removed pane
    if (s === n && w === e) map.setView([s, w], 17, { animate: false });
    else map.fitBounds(bounds, { padding: [16, 16], maxZoom: 18, animate: false });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, key]);
  return null;
};

/** Clicks on GCJ-02 tiles (AMap, Tencent) are shifted back to WGS84 before the caller sees them. */
const Picker = ({ onPick, crs }: { onPick: (lng: number, lat: number) => void; crs: TileSettings["crs"] | undefined }) => {
  useMapEvents({ click: (e) => onPick(...fromDisplay(e.latlng.lng, e.latlng.lat, crs)) });
  return null;
};

const shapeKey = (s: MapShape) => `${s.id}:${JSON.stringify(s.boundary.coordinates).length}:${s.color ?? ""}`;

export default function MapView(props: MapViewProps) {
  // the tile source decides where shapes are drawn and what a click means: wait for it (one small request per page load)
  const { ready, tiles } = useTiles();
  if (!ready) return <Skeleton variant="rounded" height={props.height ?? 320} data-testid={`${props["data-testid"] ?? "map"}-loading`} />;
  return <TiledMap {...props} tiles={tiles} />;
}

function TiledMap({ shapes: stored = [], points: storedPoints = [], onPick, height = 320, focus: storedFocus, "data-testid": testId, tiles }: MapViewProps & { tiles: TileSettings | undefined }) {
  // on GCJ-02 tiles everything is drawn where those tiles put it (stored data stays WGS84)
  const crs = tiles?.crs;
  const shift = (list: MapShape[]) => (crs === "gcj02" ? list.map((s) => ({ ...s, boundary: boundaryToDisplay(s.boundary, crs) })) : list);
  const shapes = useMemo(() => shift(stored), [stored]); // eslint-disable-line react-hooks/exhaustive-deps
  const points = useMemo(() => storedPoints.map((p) => toDisplay(p, crs)), [storedPoints]); // eslint-disable-line react-hooks/exhaustive-deps
  const focus = useMemo(
    () => (storedFocus ? { shapes: storedFocus.shapes && shift(storedFocus.shapes), points: storedFocus.points?.map((p) => toDisplay(p, crs)) } : undefined),
    [storedFocus], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const bounds = useMemo(
    () => boundsOf((focus?.shapes ?? shapes).map((s) => s.boundary), focus?.points ?? points),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [JSON.stringify(focus ?? null), shapes.length ? shapes.map(shapeKey).join("|") : "", points.map((p) => `${p.lng},${p.lat}`).join("|")],
  );
  return (
    <Box
      data-testid={testId ?? "map"}
      data-shapes={shapes.length}
      data-points={points.length}
      data-tiles={tiles ? "on" : "off"}
      data-tile-crs={tiles?.crs ?? "none"}
      sx={{
        height,
        width: "100%",
        borderRadius: 1,
        overflow: "hidden",
        border: 1,
        borderColor: "divider",
        cursor: onPick ? "crosshair" : undefined,
        // clicking a shape focuses its SVG path: no browser outline around it
        "& .leaflet-interactive:focus": { outline: "none" },
        // zoom buttons a finger can hit on touch screens (44 px; Leaflet's are 30; `&&` outranks leaflet.css, loaded later)
        "@media (pointer: coarse)": { "&& .leaflet-bar a": { width: 44, height: 44, lineHeight: "44px", fontSize: 22 } },
        "& .leaflet-container": {
          height: "100%",
          width: "100%",
          cursor: onPick ? "crosshair" : undefined,
          // no tiles: a faint grid so the blank background reads as a map
          backgroundColor: tiles ? undefined : "#f4f6f8",
          backgroundImage: tiles ? undefined : "linear-gradient(#e3e8ed 1px, transparent 1px), linear-gradient(90deg, #e3e8ed 1px, transparent 1px)",
          backgroundSize: tiles ? undefined : "32px 32px",
        },
      }}
    >
      <MapContainer
        center={bounds ? undefined : FALLBACK_CENTER}
        zoom={bounds ? undefined : 4}
        bounds={bounds}
        boundsOptions={{ padding: [16, 16], maxZoom: 18 }}
        scrollWheelZoom={false}
        zoomAnimation={false}
        fadeAnimation={false}
        markerZoomAnimation={false}
        attributionControl={!!tiles?.attribution}
        style={{ height: "100%", width: "100%" }}
      >
        {tiles ? <TileLayer url={tiles.url} attribution={tiles.attribution} subdomains={tiles.subdomains} maxZoom={tiles.maxZoom} /> : null}
        {shapes.map((s) => (
          <GeoJSON
            key={shapeKey(s)}
            data={s.boundary as unknown as GeoJsonObject}
            style={{
              color: s.color ?? (s.secondary ? "#607d8b" : "#1976d2"),
              weight: s.secondary ? 1.5 : 2.5,
              dashArray: s.secondary ? "4 4" : undefined,
              fillOpacity: s.secondary ? 0.05 : 0.15,
            }}
          >
            {s.label ? <Tooltip sticky>{s.label}</Tooltip> : null}
          </GeoJSON>
        ))}
        {points.map((p) => (
          <CircleMarker key={p.id} center={[p.lat, p.lng]} radius={8} pathOptions={{ color: "#fff", weight: 2, fillColor: p.color ?? "#d32f2f", fillOpacity: 1 }}>
            {p.label ? <Tooltip direction="top" offset={[0, -8]}>{p.label}</Tooltip> : null}
          </CircleMarker>
        ))}
        <FitBounds bounds={bounds} />
        {onPick ? <Picker onPick={onPick} crs={crs} /> : null}
        <ScaleControl imperial={false} />
      </MapContainer>
    </Box>
  );
}
