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

export const CRS_NAMES = ["wgs84", "gcj02", "bd09"] as const;
export const Crs = z.enum(CRS_NAMES, { error: "crs must be one of wgs84, gcj02, bd09" });
export type Crs = z.infer<typeof Crs>;

// gcoord's own China box for GCJ-02 (src/crs/GCJ02.ts); applied to BD-09 too (see above)
const inChinaBox = (lng: number, lat: number) => lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;

// ---- GCJ-02 (gcoord src/crs/GCJ02.ts): Krasovsky 1940 ellipsoid, the published obfuscation polynomial
const { sin, cos, sqrt, abs, atan2, PI } = Math;
const A = 6378245;
const EE = 0.006693421622965823;

function transformLat(x: number, y: number): number {
  let ret = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x));
  ret += ((20 * sin(6 * x * PI) + 20 * sin(2 * x * PI)) * 2) / 3;
  ret += ((20 * sin(y * PI) + 40 * sin((y / 3) * PI)) * 2) / 3;
  ret += ((160 * sin((y / 12) * PI) + 320 * sin((y * PI) / 30)) * 2) / 3;
  return ret;
}

function transformLon(x: number, y: number): number {
  let ret = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x));
  ret += ((20 * sin(6 * x * PI) + 20 * sin(2 * x * PI)) * 2) / 3;
  ret += ((20 * sin(x * PI) + 40 * sin((x / 3) * PI)) * 2) / 3;
  ret += ((150 * sin((x / 12) * PI) + 300 * sin((x / 30) * PI)) * 2) / 3;
  return ret;
}

function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (!inChinaBox(lon, lat)) return [lon, lat];
  let dLon = transformLon(lon - 105, lat - 35);
  let dLat = transformLat(lon - 105, lat - 35);
  const radLat = (lat / 180) * PI;
  let magic = sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = sqrt(magic);
  dLon = (dLon * 180) / ((A / sqrtMagic) * cos(radLat) * PI);
  dLat = (dLat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * PI);
  return [lon + dLon, lat + dLat];
}

/** gcoord needs at most 3 steps wherever its iteration ends (crs.test.ts); beyond this it would loop forever. */
export const MAX_INVERSE_STEPS = 30;

/** gcoord's inverse: step by the forward shift's error until both are within 1e-6°. */
function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  if (!inChinaBox(lon, lat)) return [lon, lat];
  let wgsLon = lon;
  let wgsLat = lat;
  let temp = wgs84ToGcj02(wgsLon, wgsLat);
  let dx = temp[0] - lon;
  let dy = temp[1] - lat;
  for (let steps = 0; abs(dx) > 1e-6 || abs(dy) > 1e-6; steps++) {
    if (steps === MAX_INVERSE_STEPS) return [lon, lat]; // at the box's edge: gcoord never returns (see above)
    wgsLon -= dx;
    wgsLat -= dy;
    temp = wgs84ToGcj02(wgsLon, wgsLat);
    dx = temp[0] - lon;
    dy = temp[1] - lat;
  }
  return [wgsLon, wgsLat];
}

// ---- BD-09 (gcoord src/crs/BD09.ts): Baidu's shift on top of GCJ-02
const BAIDU_FACTOR = (PI * 3000.0) / 180.0;

function bd09ToGcj02(lon: number, lat: number): [number, number] {
  const x = lon - 0.0065;
  const y = lat - 0.006;
  const z = sqrt(x * x + y * y) - 0.00002 * sin(y * BAIDU_FACTOR);
  const theta = atan2(y, x) - 0.000003 * cos(x * BAIDU_FACTOR);
  return [z * cos(theta), z * sin(theta)];
}

function gcj02ToBd09(lon: number, lat: number): [number, number] {
  const z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * BAIDU_FACTOR);
  const theta = atan2(lat, lon) + 0.000003 * cos(lon * BAIDU_FACTOR);
  return [z * cos(theta) + 0.0065, z * sin(theta) + 0.006];
}

/** The chains gcoord's `transform` composes for each pair of systems. */
const CHAIN: Record<Exclude<`${Crs}>${Crs}`, "wgs84>wgs84" | "gcj02>gcj02" | "bd09>bd09">, (lng: number, lat: number) => [number, number]> = {
  "wgs84>gcj02": wgs84ToGcj02,
  "wgs84>bd09": (lng, lat) => gcj02ToBd09(...wgs84ToGcj02(lng, lat)),
  "gcj02>wgs84": gcj02ToWgs84,
  "gcj02>bd09": gcj02ToBd09,
  "bd09>wgs84": (lng, lat) => gcj02ToWgs84(...bd09ToGcj02(lng, lat)),
  "bd09>gcj02": bd09ToGcj02,
};

/** Convert [lng, lat] between systems (identity for the same system or outside China). */
export function convert(lng: number, lat: number, from: Crs, to: Crs): [number, number] {
  if (from === to || !inChinaBox(lng, lat)) return [lng, lat];
  return CHAIN[`${from}>${to}` as keyof typeof CHAIN](lng, lat);
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
