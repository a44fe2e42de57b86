/**
 * The arithmetic of core/geo/crs.ts without its input schemas (no zod): the transforms between
 * WGS84, GCJ-02 and BD-09. Its own module so that the resident page can carry it as a small
 * browser script (admin/src/map/plugin.ts builds `resident/vendor/crs.js` from it) instead of
 * gcoord's browser build, whose GCJ-02 → WGS84 inverse never ends near its box's edge (below).
 * See core/geo/crs.ts for where the transforms come from and how they are checked.
 */
export const CRS_NAMES = ["wgs84", "gcj02", "bd09"] as const;
/** The systems a point may be given in. */
export type Crs = (typeof CRS_NAMES)[number];

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
