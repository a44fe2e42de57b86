/**
 * Measurements on boundaries and points. Planar on [lng, lat] except distanceMeters (haversine).
 */
import type { BBox, Boundary } from "./schema.ts";
import { pointInRing, type XY } from "./ring.ts";

export { geohash, geohashBox, geohashNeighbors, geohashPrecisionFor, GEOHASH_PRECISION_100M } from "./geohash.ts";

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_METERS = 6_371_008.8;

function polygonsOf(boundary: Boundary): readonly (readonly XY[])[][] {
  return boundary.type === "Polygon" ? [boundary.coordinates] : boundary.coordinates;
}

/** [minLng, minLat, maxLng, maxLat] over all vertices. */
export function bbox(boundary: Boundary): BBox {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const rings of polygonsOf(boundary)) {
    // holes lie inside the outer ring: its vertices suffice
    for (const p of rings[0]) {
      if (p[0] < minX) minX = p[0];
      if (p[0] > maxX) maxX = p[0];
      if (p[1] < minY) minY = p[1];
      if (p[1] > maxY) maxY = p[1];
    }
  }
  return [minX, minY, maxX, maxY];
}

/**
 * Area-weighted centroid [lng, lat] (planar on degrees; fine at county scale). Holes subtract whatever
 * their winding. A degenerate (zero-area) boundary falls back to the mean of its outer-ring vertices.
 * The centroid of a concave or multi-part boundary may lie outside it.
 */
export function centroid(boundary: Boundary): [number, number] {
  const polygons = polygonsOf(boundary);
  const ox = polygons[0][0][0][0];
  const oy = polygons[0][0][0][1]; // shift to a local origin to limit cancellation
  let area = 0, sx = 0, sy = 0;
  for (const rings of polygons) {
    rings.forEach((ring, r) => {
      let a = 0, cx = 0, cy = 0;
      for (let i = 0; i + 1 < ring.length; i++) {
        const x0 = ring[i][0] - ox, y0 = ring[i][1] - oy;
        const x1 = ring[i + 1][0] - ox, y1 = ring[i + 1][1] - oy;
        const cross = x0 * y1 - x1 * y0;
        a += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
      }
      // normalise winding: outer rings add, holes subtract
      const sign = (a >= 0 ? 1 : -1) * (r === 0 ? 1 : -1);
      area += (sign * a) / 2;
      sx += (sign * cx) / 6;
      sy += (sign * cy) / 6;
    });
  }
  if (Math.abs(area) < 1e-18) {
    let n = 0, mx = 0, my = 0;
    for (const rings of polygons) {
      for (let i = 0; i + 1 < rings[0].length; i++) {
        mx += rings[0][i][0];
        my += rings[0][i][1];
        n++;
      }
    }
    return [mx / n, my / n];
  }
  return [ox + sx / area, oy + sy / area];
}

/**
 * Whether the point lies in the boundary: crossing number over all rings of each polygon (so holes are
 * excluded), any polygon of a MultiPolygon. Boundary rule: a point on an edge shared by two tiles belongs
 * to exactly one of them — axis-aligned tiles are closed on their west and south sides and open on their
 * east and north sides (see pointInRing).
 */
export function pointInBoundary(point: XY, boundary: Boundary): boolean {
  const x = point[0];
  const y = point[1];
  for (const rings of polygonsOf(boundary)) {
    let inside = false;
    for (const ring of rings) if (pointInRing(x, y, ring)) inside = !inside;
    if (inside) return true;
  }
  return false;
}

const RAD = Math.PI / 180;

/** Great-circle distance in metres between two [lng, lat] points (haversine, spherical Earth). */
export function distanceMeters(a: XY, b: XY): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLng = (b[0] - a[0]) * RAD;
  const s =
    Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(s)));
}
