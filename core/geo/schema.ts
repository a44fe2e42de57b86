/**
 * GeoJSON geometry schemas (RFC 7946 subset) for grid boundaries and reported points, WGS84 [lng, lat].
 *
 * Validation rules for polygon rings: at least 4 positions, closed (first == last), at least 3 distinct
 * vertices, simple (no edge touches or crosses another one except adjacent edges at their shared vertex).
 * Consecutive repeated positions are tolerated (and kept). Holes must lie inside their outer ring (checked on
 * a bounding box and one vertex). Not checked: holes overlapping each other, parts of a MultiPolygon
 * overlapping each other, ring orientation (RFC 7946 winding is recommended, not required).
 */
import * as z from "zod/mini";
import { bboxOfRing, dropRepeats, findSelfIntersection, pointInRing, pointOnRing } from "./ring.ts";

/** Positions per ring above which a ring is rejected (and not checked further). */
export const MAX_RING_POSITIONS = 10_000;
/** Positions (all rings, all parts) per boundary. */
export const MAX_BOUNDARY_POSITIONS = 50_000;
/** Rings per polygon (outer ring + holes). */
export const MAX_POLYGON_RINGS = 1_000;
/** Polygons per MultiPolygon. */
export const MAX_MULTIPOLYGON_PARTS = 1_000;

const Longitude = z.number({ error: "longitude must be a number" }).check(z.gte(-180, "longitude must be between -180 and 180"), z.lte(180, "longitude must be between -180 and 180"));
const Latitude = z.number({ error: "latitude must be a number" }).check(z.gte(-90, "latitude must be between -90 and 90"), z.lte(90, "latitude must be between -90 and 90"));

/** [lng, lat] or [lng, lat, altitude]; the altitude is dropped and -0 becomes 0. */
export const Position = z.pipe(z.tuple([Longitude, Latitude], z.number({ error: "altitude must be a number" })).check(z.refine((p) => p.length <= 3, "a position is [longitude, latitude] or [longitude, latitude, altitude]")), z.transform((p): [number, number] => [p[0] + 0, p[1] + 0])).check(z.meta({ maxItems: 3 })); // enforced by the refine above (the API reference states it)
export type Position = z.infer<typeof Position>;

function isValidPosition(p: unknown): p is readonly number[] {
  if (!Array.isArray(p) || p.length < 2) return false;
  const [x, y] = p;
  return typeof x === "number" && typeof y === "number" && x >= -180 && x <= 180 && y >= -90 && y <= 90;
}

const fmt = (p: readonly number[]) => `[${p[0]}, ${p[1]}]`;

/** A closed linear ring of a polygon. Issues carry the position index in their path. */
export const LinearRing = z.array(Position).check(z.superRefine((ring, ctx) => {
  if (ring.length < 4) {
    ctx.addIssue({ code: "custom", message: `a ring needs at least 4 positions (got ${ring.length})` });
    return;
  }
  if (ring.length > MAX_RING_POSITIONS) {
    ctx.addIssue({
      code: "custom",
      message: `a ring may have at most ${MAX_RING_POSITIONS} positions (got ${ring.length})`,
    });
    return;
  }
  // position-level issues were already reported; geometry checks need sane numbers
  if (!ring.every(isValidPosition)) return;
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    ctx.addIssue({
      code: "custom",
      path: [ring.length - 1],
      message: `ring is not closed: the last position ${fmt(last)} must equal the first ${fmt(first)}`,
    });
    return;
  }
  const clean = dropRepeats(ring);
  if (clean.length < 4) {
    ctx.addIssue({ code: "custom", message: "a ring needs at least 3 distinct positions" });
    return;
  }
  const hit = findSelfIntersection(clean);
  if (hit) {
    // map the de-duplicated index back to the original ring for the issue path
    const target = clean[hit.b];
    const at = ring.findIndex((p) => p === target);
    ctx.addIssue({
      code: "custom",
      path: [at < 0 ? hit.b : at],
      message:
        `ring self-intersects at about ${fmt(hit.near)}: edge ${fmt(clean[hit.a])}–${fmt(clean[hit.a + 1])} ` +
        `meets edge ${fmt(target)}–${fmt(clean[hit.b + 1])}`,
    });
  }
}), z.meta({ minItems: 4, maxItems: MAX_RING_POSITIONS })); // enforced by the checks above (the API reference states them)
export type LinearRing = z.infer<typeof LinearRing>;

function checkHoles(rings: readonly (readonly number[])[][], ctx: z.core.$RefinementCtx, path: (string | number)[]): void {
  if (rings.length < 2 || !rings.every((r) => r.length >= 4 && r.every(isValidPosition))) return;
  const outer = rings[0];
  const ob = bboxOfRing(outer);
  for (let h = 1; h < rings.length; h++) {
    const hole = rings[h];
    const hb = bboxOfRing(hole);
    const p = hole[0];
    const inBox = hb[0] >= ob[0] && hb[1] >= ob[1] && hb[2] <= ob[2] && hb[3] <= ob[3];
    if (!inBox || !(pointOnRing(p, outer) || pointInRing(p[0], p[1], outer))) {
      ctx.addIssue({ code: "custom", path: [...path, h], message: `hole ${h} is not inside the outer ring` });
    }
  }
}

function countPositions(polygons: readonly (readonly unknown[])[][]): number {
  let n = 0;
  for (const rings of polygons) for (const ring of rings) n += ring.length;
  return n;
}

const tooMany = (n: number) =>
  `a boundary may have at most ${MAX_BOUNDARY_POSITIONS} positions in all (got ${n})`;

const PolygonCoordinates = z.array(LinearRing).check(z.minLength(1, "a polygon needs an outer ring"), z.maxLength(MAX_POLYGON_RINGS, `a polygon may have at most ${MAX_POLYGON_RINGS} rings`));

export const Polygon = z.object({ type: z.literal("Polygon"), coordinates: PolygonCoordinates }).check(z.superRefine((g, ctx) => {
    const n = countPositions([g.coordinates]);
    if (n > MAX_BOUNDARY_POSITIONS) {
      ctx.addIssue({ code: "custom", path: ["coordinates"], message: tooMany(n) });
      return;
    }
    checkHoles(g.coordinates, ctx, ["coordinates"]);
  }));
export type Polygon = z.infer<typeof Polygon>;

export const MultiPolygon = z.object({
    type: z.literal("MultiPolygon"),
    coordinates: z.array(PolygonCoordinates).check(z.minLength(1, "a multipolygon needs at least one polygon"), z.maxLength(MAX_MULTIPOLYGON_PARTS, `a multipolygon may have at most ${MAX_MULTIPOLYGON_PARTS} polygons`)),
  }).check(z.superRefine((g, ctx) => {
    const n = countPositions(g.coordinates);
    if (n > MAX_BOUNDARY_POSITIONS) {
      ctx.addIssue({ code: "custom", path: ["coordinates"], message: tooMany(n) });
      return;
    }
    g.coordinates.forEach((rings, i) => checkHoles(rings, ctx, ["coordinates", i]));
  }));
export type MultiPolygon = z.infer<typeof MultiPolygon>;

/** A unit's boundary: one polygon (with optional holes) or several. */
export const Boundary = z.discriminatedUnion("type", [Polygon, MultiPolygon], {
  error: "a boundary must be a GeoJSON Polygon or MultiPolygon",
});
export type Boundary = z.infer<typeof Boundary>;

export const Point = z.object({ type: z.literal("Point"), coordinates: Position });
export type Point = z.infer<typeof Point>;

/** [minLng, minLat, maxLng, maxLat] */
export type BBox = [number, number, number, number];
