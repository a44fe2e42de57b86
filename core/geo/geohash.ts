/**
 * Geohash encoding (base32, interleaved lng/lat bits) and the 3×3 block around a cell, for
 * "same place" lookups: two points closer than the cell size share the block of either one.
 * Cell sizes near 25°N: precision 6 ≈ 1.1 km × 0.6 km, 7 ≈ 140 m × 150 m, 8 ≈ 35 m × 19 m.
 */
import { InvalidError } from "../errors.ts";

const BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";
const DECODE: Record<string, number> = Object.fromEntries([...BASE32].map((c, i) => [c, i]));

/**
 * Precision whose 3×3 block covers every point within 100 m of a point in the centre cell, for latitudes up to
 * about 45° (cells 153 m tall, 153·cos(lat) m wide). Further north use geohashPrecisionFor(100, lat) (→ 6).
 */
export const GEOHASH_PRECISION_100M = 7;

const METERS_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;

/**
 * The finest precision (1–12) whose cells are at least radiusMeters wide and tall around latitude lat, so
 * that geohashNeighbors of a point's cell contains the cell of every point within radiusMeters of it.
 */
export function geohashPrecisionFor(radiusMeters: number, lat: number): number {
  for (let p = 12; p > 1; p--) {
    const lngBits = Math.ceil((5 * p) / 2);
    const latBits = Math.floor((5 * p) / 2);
    const height = 180 / 2 ** latBits;
    const farLat = Math.min(90, Math.abs(lat) + height); // the narrowest part of the cell
    const widthMeters = (360 / 2 ** lngBits) * METERS_PER_DEGREE * Math.cos((farLat * Math.PI) / 180);
    if (widthMeters >= radiusMeters && height * METERS_PER_DEGREE >= radiusMeters) return p;
  }
  return 1;
}

/** Geohash of a WGS84 point, precision 1–12 characters. */
export function geohash(lng: number, lat: number, precision = GEOHASH_PRECISION_100M): string {
  if (!Number.isInteger(precision) || precision < 1 || precision > 12) {
    throw new InvalidError("geohash precision must be an integer from 1 to 12", { precision });
  }
  if (!(lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90)) {
    throw new InvalidError("geohash needs longitude in [-180, 180] and latitude in [-90, 90]", { lng, lat });
  }
  let lngMin = -180, lngMax = 180, latMin = -90, latMax = 90;
  let out = "";
  let bits = 0, value = 0, even = true;
  while (out.length < precision) {
    if (even) {
      const mid = (lngMin + lngMax) / 2;
      if (lng >= mid) { value = value * 2 + 1; lngMin = mid; } else { value *= 2; lngMax = mid; }
    } else {
      const mid = (latMin + latMax) / 2;
      if (lat >= mid) { value = value * 2 + 1; latMin = mid; } else { value *= 2; latMax = mid; }
    }
    even = !even;
    if (++bits === 5) {
      out += BASE32[value];
      bits = 0;
      value = 0;
    }
  }
  return out;
}

/** The cell of a geohash as [minLng, minLat, maxLng, maxLat]. */
export function geohashBox(hash: string): [number, number, number, number] {
  if (!/^[0-9b-hjkmnp-z]{1,12}$/.test(hash)) {
    throw new InvalidError("a geohash is 1 to 12 characters of 0-9 and b-z without a, i, l, o", { hash });
  }
  let lngMin = -180, lngMax = 180, latMin = -90, latMax = 90;
  let even = true;
  for (const c of hash) {
    const v = DECODE[c];
    for (let bit = 4; bit >= 0; bit--) {
      const on = (v >> bit) & 1;
      if (even) {
        const mid = (lngMin + lngMax) / 2;
        if (on) lngMin = mid; else lngMax = mid;
      } else {
        const mid = (latMin + latMax) / 2;
        if (on) latMin = mid; else latMax = mid;
      }
      even = !even;
    }
  }
  return [lngMin, latMin, lngMax, latMax];
}

/**
 * The cell itself followed by its 8 neighbours (n, ne, e, se, s, sw, w, nw), same precision.
 * Longitude wraps around the antimeridian; next to a pole the missing cells are left out, so fewer than 9.
 */
export function geohashNeighbors(hash: string): string[] {
  const [w, s, e, n] = geohashBox(hash);
  const dx = e - w;
  const dy = n - s;
  const cx = (w + e) / 2;
  const cy = (s + n) / 2;
  const out = [hash];
  const steps: Array<[number, number]> = [[0, 1], [1, 1], [1, 0], [1, -1], [0, -1], [-1, -1], [-1, 0], [-1, 1]];
  for (const [ix, iy] of steps) {
    const lat = cy + iy * dy;
    if (lat > 90 || lat < -90) continue;
    let lng = cx + ix * dx;
    if (lng > 180) lng -= 360;
    if (lng < -180) lng += 360;
    const h = geohash(lng, lat, hash.length);
    if (!out.includes(h)) out.push(h);
  }
  return out;
}

/**
 * The cells (at a precision whose cells are at least 2 × radius wide and tall) that a circle of
 * `radiusMeters` around the point can touch: the cells of its bounding box's corners. Usually one
 * cell, at most four — fewer lookups than the 3×3 block.
 */
export function geohashCellsAround(lng: number, lat: number, radiusMeters: number, precision: number): string[] {
  const dLat = radiusMeters / METERS_PER_DEGREE;
  const dLng = radiusMeters / (METERS_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  const clampLat = (v: number) => Math.max(-90, Math.min(90, v));
  const clampLng = (v: number) => Math.max(-180, Math.min(180, v));
  const cells = new Set<string>();
  for (const x of [lng - dLng, lng + dLng]) for (const y of [lat - dLat, lat + dLat]) cells.add(geohash(clampLng(x), clampLat(y), precision));
  return [...cells];
}
