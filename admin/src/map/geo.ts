/**
 * Geometry for the maps (pure): bounds of boundaries and points, reading a GeoJSON file into a
 * boundary, and the base-tile settings. Coordinates are GeoJSON's [longitude, latitude] (WGS84);
 * Leaflet wants [latitude, longitude].
 */
import { convert } from "../../../core/geo/crs.ts";

export type Position = [number, number] | number[];
export interface PolygonGeometry {
  type: "Polygon";
  coordinates: Position[][];
}
export interface MultiPolygonGeometry {
  type: "MultiPolygon";
  coordinates: Position[][][];
}
export type Boundary = PolygonGeometry | MultiPolygonGeometry;

/** [[south, west], [north, east]] as Leaflet's LatLngBoundsExpression. */
export type LatLngBounds = [[number, number], [number, number]];

export function isBoundary(g: unknown): g is Boundary {
  const t = (g as { type?: unknown } | null)?.type;
  return !!g && (t === "Polygon" || t === "MultiPolygon") && Array.isArray((g as { coordinates?: unknown }).coordinates);
}

function eachPosition(coordinates: unknown, fn: (lng: number, lat: number) => void): void {
  if (!Array.isArray(coordinates)) return;
  if (typeof coordinates[0] === "number" && typeof coordinates[1] === "number") {
    fn(coordinates[0], coordinates[1]);
    return;
  }
  for (const c of coordinates) eachPosition(c, fn);
}

/** The box around boundaries and points, or undefined when there is nothing to show. */
export function boundsOf(boundaries: readonly (Boundary | null | undefined)[], points: readonly { lng: number; lat: number }[] = []): LatLngBounds | undefined {
  let south = Infinity;
  let west = Infinity;
  let north = -Infinity;
  let east = -Infinity;
  const add = (lng: number, lat: number) => {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return;
    south = Math.min(south, lat);
    north = Math.max(north, lat);
    west = Math.min(west, lng);
    east = Math.max(east, lng);
  };
  for (const b of boundaries) if (b) eachPosition(b.coordinates, add);
  for (const p of points) add(p.lng, p.lat);
  if (south === Infinity) return undefined;
  return [
    [south, west],
    [north, east],
  ];
}

export type ReadResult = { ok: true; boundary: Boundary; features: number } | { ok: false; error: string };

/**
 * A GeoJSON text (a geometry, a Feature or a FeatureCollection) → one boundary: a single polygon
 * stays a Polygon, several polygons become one MultiPolygon. Errors are translation keys.
 */
export function boundaryFromGeoJson(text: string): ReadResult {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return { ok: false, error: "app.validation.json" };
  }
  const polygons: Position[][][] = [];
  let features = 0;
  const take = (g: unknown): boolean => {
    if (!g || typeof g !== "object") return false;
    const o = g as { type?: string; coordinates?: unknown; geometry?: unknown; features?: unknown; geometries?: unknown };
    if (o.type === "Feature") {
      features++;
      return take(o.geometry);
    }
    if (o.type === "FeatureCollection" && Array.isArray(o.features)) return o.features.map(take).some(Boolean);
    if (o.type === "GeometryCollection" && Array.isArray(o.geometries)) return o.geometries.map(take).some(Boolean);
    if (o.type === "Polygon" && Array.isArray(o.coordinates)) {
      polygons.push(o.coordinates as Position[][]);
      return true;
    }
    if (o.type === "MultiPolygon" && Array.isArray(o.coordinates)) {
      polygons.push(...(o.coordinates as Position[][][]));
      return true;
    }
    return false;
  };
  take(value);
  if (!polygons.length) return { ok: false, error: "app.validation.geojson_polygon" };
  const boundary: Boundary = polygons.length === 1 ? { type: "Polygon", coordinates: polygons[0] } : { type: "MultiPolygon", coordinates: polygons };
  return { ok: true, boundary, features };
}

export interface TileSettings {
  url: string;
  attribution: string;
  subdomains: string | string[];
  maxZoom: number;
  /**
   * The tiles' coordinate system (`VITE_TILE_CRS`): `wgs84` for Tianditu (CGCS2000, no shift) and
   * OSM; `gcj02` for AMap and Tencent tiles — shapes and points are shifted for display and clicks
   * shifted back (core/geo/crs.ts), so data stays WGS84.
   */
  crs: "wgs84" | "gcj02";
}

/**
 * Base tiles from the build's environment: `VITE_TILE_URL` (a Leaflet URL template, e.g.
 * Tianditu `https://t{s}.tianditu.gov.cn/vec_w/wmts?...&tk=KEY` or AMap
 * `https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}`), with optional
 * `VITE_TILE_SUBDOMAINS`, `VITE_TILE_ATTRIBUTION`, `VITE_TILE_MAX_ZOOM`. None: no tiles, the
 * boundaries are drawn on a blank background.
 */
export function tileSettings(env: Record<string, string | undefined>): TileSettings | undefined {
  const url = env.VITE_TILE_URL?.trim();
  if (!url) return undefined;
  const sub = env.VITE_TILE_SUBDOMAINS?.trim();
  const maxZoom = Number(env.VITE_TILE_MAX_ZOOM);
  return {
    url,
    attribution: env.VITE_TILE_ATTRIBUTION?.trim() ?? "",
    subdomains: sub ? (sub.includes(",") ? sub.split(",").map((s) => s.trim()) : sub) : "abc",
    maxZoom: Number.isFinite(maxZoom) && maxZoom > 0 ? maxZoom : 18,
    crs: env.VITE_TILE_CRS?.trim().toLowerCase() === "gcj02" ? "gcj02" : "wgs84",
  };
}

/**
 * The run-time form (`/tiles.json`, written by the build: admin/src/map/plugin.ts) → settings;
 * `{}` or anything without an http(s) URL template means no tiles.
 */
export function tilesFromJson(v: unknown): TileSettings | undefined {
  const o = (v && typeof v === "object" ? v : {}) as Record<string, unknown>;
  const url = typeof o.url === "string" ? o.url.trim() : "";
  if (!/^https?:\/\//.test(url)) return undefined;
  const sub = o.subdomains;
  const maxZoom = Number(o.maxZoom);
  return {
    url,
    attribution: typeof o.attribution === "string" ? o.attribution : "",
    subdomains: typeof sub === "string" && sub ? sub : Array.isArray(sub) && sub.length && sub.every((x) => typeof x === "string") ? (sub as string[]) : "abc",
    maxZoom: Number.isFinite(maxZoom) && maxZoom > 0 ? maxZoom : 18,
    crs: String(o.crs).toLowerCase() === "gcj02" ? "gcj02" : "wgs84",
  };
}

/** Stored (WGS84) → where it is drawn on tiles of `crs`. */
export function toDisplay<P extends { lng: number; lat: number }>(p: P, crs: TileSettings["crs"] | undefined): P {
  if (crs !== "gcj02") return p;
  const [lng, lat] = convert(p.lng, p.lat, "wgs84", "gcj02");
  return { ...p, lng, lat };
}

/** A click on tiles of `crs` → the stored (WGS84) position. */
export function fromDisplay(lng: number, lat: number, crs: TileSettings["crs"] | undefined): [number, number] {
  return crs === "gcj02" ? convert(lng, lat, "gcj02", "wgs84") : [lng, lat];
}

/** A boundary as drawn on tiles of `crs` (a copy; the stored one is left as is). */
export function boundaryToDisplay<B extends Boundary>(b: B, crs: TileSettings["crs"] | undefined): B {
  if (crs !== "gcj02") return b;
  const ring = (r: number[][]) => r.map(([x, y]) => convert(x, y, "wgs84", "gcj02"));
  if (b.type === "Polygon") return { ...b, coordinates: (b.coordinates as number[][][]).map(ring) } as B;
  return { ...b, coordinates: (b.coordinates as number[][][][]).map((poly) => poly.map(ring)) } as B;
}

/** A point given as text inputs → a location, when both are valid coordinates. */
export function pointFrom(lng: unknown, lat: unknown): { lng: number; lat: number } | undefined {
  const x = typeof lng === "number" ? lng : typeof lng === "string" && lng.trim() ? Number(lng) : NaN;
  const y = typeof lat === "number" ? lat : typeof lat === "string" && lat.trim() ? Number(lat) : NaN;
  if (!Number.isFinite(x) || !Number.isFinite(y) || x < -180 || x > 180 || y < -90 || y > 90) return undefined;
  return { lng: x, lat: y };
}

/** Round a coordinate to ~1 cm (7 decimals), as map clicks give many more. */
export const roundCoord = (v: number): number => Math.round(v * 1e7) / 1e7;
