/**
 * Coordinate systems as Chinese maps and phones give them (docs/partner-api.md "Coordinates").
 *
 * We store and locate in WGS84 (CGCS2000 agrees with WGS84 to well under a metre, far below grid
 * sizes). Callers may send points in GCJ-02 (AMap, Tencent Maps, WeChat `getLocation({type:"gcj02"})`)
 * or BD-09 (Baidu) by adding `crs`; the server converts with `gcoord` before locating, and answers in
 * the system the caller asked for. Open311 `lat`/`long` are always WGS84 (the GeoReport standard).
 *
 * Outside mainland China's rough box (the one gcoord uses for GCJ-02) no system is shifted: maps
 * publish WGS84 there, so a point outside China is returned as given whatever `crs` says.
 */
import * as gcoordModule from "gcoord";
import type { CRSTypes } from "gcoord";
import * as z from "zod/mini";

// gcoord ships CommonJS for Node (module.exports = the API) and ESM for bundlers (default export);
// its types declare only the default export: take `default`, whichever way it was loaded
type Gcoord = { transform(input: [number, number], from: CRSTypes, to: CRSTypes): unknown; WGS84: CRSTypes; GCJ02: CRSTypes; BD09: CRSTypes };
const loaded = (gcoordModule as unknown as { default?: Gcoord & { default?: Gcoord } }).default;
const gcoord: Gcoord = loaded?.transform ? loaded : (loaded?.default ?? (gcoordModule as unknown as Gcoord));

export const CRS_NAMES = ["wgs84", "gcj02", "bd09"] as const;
export const Crs = z.enum(CRS_NAMES, { error: "crs must be one of wgs84, gcj02, bd09" });
export type Crs = z.infer<typeof Crs>;

const LIB = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

// gcoord's own China box for GCJ-02 (src/crs/GCJ02.ts); applied to BD-09 too (see above)
const inChinaBox = (lng: number, lat: number) => lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;

/** Convert [lng, lat] between systems (identity for the same system or outside China). */
export function convert(lng: number, lat: number, from: Crs, to: Crs): [number, number] {
  if (from === to || !inChinaBox(lng, lat)) return [lng, lat];
  const [x, y] = gcoord.transform([lng, lat], LIB[from], LIB[to]) as [number, number];
  return [x, y];
}

/** A point given in `crs` as stored (WGS84). */
export const toWgs84 = (lng: number, lat: number, crs: Crs = "wgs84"): [number, number] => convert(lng, lat, crs, "wgs84");
/** A stored (WGS84) point in the system a caller asked for. */
export const fromWgs84 = (lng: number, lat: number, crs: Crs = "wgs84"): [number, number] => convert(lng, lat, "wgs84", crs);

export const Longitude = z.number({ error: "longitude must be a number" }).check(z.gte(-180, "longitude must be between -180 and 180"), z.lte(180, "longitude must be between -180 and 180"));
export const Latitude = z.number({ error: "latitude must be a number" }).check(z.gte(-90, "latitude must be between -90 and 90"), z.lte(90, "latitude must be between -90 and 90"));

/**
 * The one shape of a point given by a caller: `{lng, lat, crs?}`. Every route that takes a location
 * builds its schema with `pointInput()` (body) or `pointQuery` (query string), so every route accepts
 * `crs` the same way and stores WGS84.
 */
export const PointFields = { lng: Longitude, lat: Latitude, crs: z.optional(Crs) };

/** What a parsed point input becomes: WGS84 `lng`/`lat`, plus the system it was given in (for answers). */
export type ParsedPoint<T> = Omit<T, "crs" | "lng" | "lat"> & { lng: number; lat: number; givenCrs: Crs };

function normalize<T extends { lng: number; lat: number; crs?: Crs }>(p: T): ParsedPoint<T> {
  const { crs = "wgs84", ...rest } = p;
  const [lng, lat] = toWgs84(p.lng, p.lat, crs);
  return { ...rest, lng, lat, givenCrs: crs } as ParsedPoint<T>;
}

/**
 * A body point with extra fields (e.g. `address`, `at`): `{lng, lat, crs?, ...extra}` parsed to
 * WGS84 `{lng, lat, givenCrs, ...extra}` (unknown fields are refused by core/validate.ts `parse`).
 */
export function pointInput<S extends z.core.$ZodShape = {}>(extra?: S) {
  const schema = z.object({ ...PointFields, ...(extra ?? ({} as S)) });
  return z.pipe(schema, z.transform((p) => normalize(p as z.infer<typeof schema> & { lng: number; lat: number; crs?: Crs })));
}

/** A plain point in a body: `{lng, lat, crs?}`. */
export const PointInput = pointInput();

/** A point in a query string (`?lng=&lat=&crs=`), numbers coerced. */
export const pointQueryFields = {
  lng: z.pipe(z.coerce.number(), Longitude),
  lat: z.pipe(z.coerce.number(), Latitude),
  crs: z.optional(Crs),
};

/** Drop the `givenCrs` marker before storing a parsed point. */
export function stored<T extends { givenCrs: Crs }>(p: T): Omit<T, "givenCrs"> {
  const { givenCrs: _ignored, ...rest } = p;
  return rest;
}

/** A stored location as the caller asked for it: converted, with `crs` named when not WGS84. */
export function asCrs<T extends { lng: number; lat: number }>(p: T, crs: Crs | undefined): T & { crs?: Crs } {
  if (!crs || crs === "wgs84") return p;
  const [lng, lat] = fromWgs84(p.lng, p.lat, crs);
  return { ...p, lng, lat, crs };
}

/** `?crs=` of a route that answers with locations: the system the caller wants them in. */
export const CrsQuery = z.object({ crs: z.optional(Crs) });
