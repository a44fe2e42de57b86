/**
 * Coordinate systems as Chinese maps and phones give them (docs/partner-api.md "Coordinates").
 *
 * We store and locate in WGS84 (CGCS2000 agrees with WGS84 to well under a metre, far below grid
 * sizes). Callers may send points in GCJ-02 (AMap, Tencent Maps, WeChat `getLocation({type:"gcj02"})`)
 * or BD-09 (Baidu) by adding `crs`; the server converts before locating, and answers in the system
 * the caller asked for. Open311 `lat`/`long` are always WGS84 (the GeoReport standard).
 *
 * Outside mainland China's rough box (the one gcoord uses for GCJ-02) no system is shifted: maps
 * publish WGS84 there, so a point outside China is returned as given whatever `crs` says.
 *
 * The transforms are gcoord's (1.0.7, MIT, © Jiulong Hu: src/crs/GCJ02.ts, BD09.ts), written out
 * here with the same arithmetic in the same order so that every bundle that takes a point does not
 * carry the whole package (issue #15); core/geo/crs.test.ts checks them against gcoord (kept as a
 * devDependency) on grids over China and the county, both ways, including its box checks and its
 * inverse's iteration. One deliberate difference: gcoord's GCJ-02 → WGS84 iteration never ends for
 * some points within the shift's width of the box's edge (an iterate leaves the box, is not shifted,
 * and the next one steps back in: two points forever); ours stops after `MAX_INVERSE_STEPS` and
 * returns such a point as given, as for a point outside the box.
 */
import * as z from "zod/mini";
import { CRS_NAMES, fromWgs84, toWgs84, type Crs as CrsName } from "./crs-math.ts";

export { CRS_NAMES, convert, fromWgs84, MAX_INVERSE_STEPS, toWgs84 } from "./crs-math.ts";

export const Crs = z.enum(CRS_NAMES, { error: "crs must be one of wgs84, gcj02, bd09" });
export type Crs = CrsName;

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

/**
 * A decimal number as a query string writes it (`113.08`, `-0.5`): `z.coerce.number()` alone would
 * take a blank `?lng=` as 0 and `0x71` as 113.
 */
const DecimalText = z.string().check(z.maxLength(32), z.regex(/^-?\d+(\.\d+)?$/, "expected a decimal number"));

/** A point in a query string (`?lng=&lat=&crs=`), decimal numbers only. */
export const pointQueryFields = {
  lng: z.pipe(z.pipe(DecimalText, z.coerce.number()), Longitude),
  lat: z.pipe(z.pipe(DecimalText, z.coerce.number()), Latitude),
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
