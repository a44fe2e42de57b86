/**
 * How unit boundaries relate to each other: the area of a child outside its parent and the area
 * two siblings share, in square metres. Polygon clipping by polyclip-ts (the maintained
 * Martinez-Rueda-Feito implementation Turf 7 uses); areas on a local equirectangular projection
 * (fine at county scale). Tiling polygons touch along shared edges: only an area above the
 * tolerance counts (see `tolerance`).
 */
import { difference, intersection, union, type Geom } from "polyclip-ts";
import { bbox } from "./measure.ts";
import type { Boundary } from "./schema.ts";

const DEG = Math.PI / 180;
const R = 6_371_008.8;

type Ring = [number, number][];

function geomOf(b: Boundary): Geom {
  return (b.type === "Polygon" ? [b.coordinates] : b.coordinates) as unknown as Geom;
}

/** Signed shoelace area of a ring in m² around latitude `lat0`. */
function ringArea(ring: readonly (readonly number[])[], lat0: number): number {
  const kx = Math.cos(lat0 * DEG) * R * DEG;
  const ky = R * DEG;
  const ox = ring[0][0];
  const oy = ring[0][1];
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = (ring[i][0] - ox) * kx, yi = (ring[i][1] - oy) * ky;
    const xj = (ring[j][0] - ox) * kx, yj = (ring[j][1] - oy) * ky;
    a += xj * yi - xi * yj;
  }
  return a / 2;
}

function multiArea(polys: readonly (readonly Ring[])[], lat0: number): number {
  let total = 0;
  for (const rings of polys) {
    if (!rings.length) continue;
    total += Math.abs(ringArea(rings[0], lat0));
    for (const hole of rings.slice(1)) total -= Math.abs(ringArea(hole, lat0));
  }
  return Math.max(0, total);
}

const midLat = (b: Boundary) => {
  const [, minY, , maxY] = bbox(b);
  return (minY + maxY) / 2;
};

/** Area of a boundary in m². */
export function areaM2(b: Boundary): number {
  return multiArea((b.type === "Polygon" ? [b.coordinates] : b.coordinates) as unknown as Ring[][], midLat(b));
}

const boxesOverlap = (a: Boundary, b: Boundary) => {
  const [ax0, ay0, ax1, ay1] = bbox(a);
  const [bx0, by0, bx1, by1] = bbox(b);
  return ax0 <= bx1 && bx0 <= ax1 && ay0 <= by1 && by0 <= ay1;
};

/** Area (m²) of `child` that lies outside `parent`. */
export function areaOutside(child: Boundary, parent: Boundary): number {
  if (!boxesOverlap(child, parent)) return areaM2(child);
  return multiArea(difference(geomOf(child), geomOf(parent)), midLat(child));
}

/** Area (m²) shared by two boundaries. */
export function sharedArea(a: Boundary, b: Boundary): number {
  if (!boxesOverlap(a, b)) return 0;
  return multiArea(intersection(geomOf(a), geomOf(b)), midLat(a));
}

/**
 * Area below which an overlap (or a part outside the parent) is taken for drawing noise along a
 * shared edge: 0.5 % of the smaller boundary, at least 20 m² (a 2 m wide sliver along 10 m).
 */
export function tolerance(...areas: number[]): number {
  return areas.length ? Math.max(20, 0.005 * Math.min(...areas)) : 20;
}

export type BoundaryProblem =
  | { kind: "outside_parent"; areaM2: number; share: number }
  | { kind: "overlaps_sibling"; siblingId: string; siblingCode: string; siblingName: string; areaM2: number; share: number };

export interface Neighbour {
  id: string;
  code: string;
  name: string;
  boundary: Boundary;
}

/**
 * What is wrong with a unit's boundary: the part outside its parent's boundary and each sibling
 * it overlaps, beyond the tolerance. `share` is the fraction of the unit's own area.
 */
export function boundaryProblems(boundary: Boundary, parent: Boundary | undefined, siblings: readonly Neighbour[]): BoundaryProblem[] {
  const problems: BoundaryProblem[] = [];
  const own = areaM2(boundary);
  const round = (x: number) => Math.round(x);
  const share = (x: number) => (own > 0 ? Math.round((x / own) * 1000) / 1000 : 1);
  if (parent) {
    const out = areaOutside(boundary, parent);
    if (out > tolerance(own)) problems.push({ kind: "outside_parent", areaM2: round(out), share: share(out) });
  }
  for (const s of siblings) {
    const shared = sharedArea(boundary, s.boundary);
    if (shared > tolerance() && shared > tolerance(own, areaM2(s.boundary))) {
      problems.push({ kind: "overlaps_sibling", siblingId: s.id, siblingCode: s.code, siblingName: s.name, areaM2: round(shared), share: share(shared) });
    }
  }
  return problems;
}

/** One line per problem, for error messages and import reports. */
export function describeProblem(p: BoundaryProblem): string {
  return p.kind === "outside_parent"
    ? `boundary lies ${p.areaM2} m² (${(p.share * 100).toFixed(1)} %) outside its parent`
    : `boundary overlaps sibling ${p.siblingCode} ${p.siblingName} by ${p.areaM2} m² (${(p.share * 100).toFixed(1)} %)`;
}

/** A clipping result as a boundary (MultiPolygon), or undefined when empty. */
function asBoundary(polys: ReturnType<typeof intersection>): Boundary | undefined {
  const kept = polys.filter((p) => p.length && p[0].length >= 4);
  return kept.length ? ({ type: "MultiPolygon", coordinates: kept } as unknown as Boundary) : undefined;
}

/** The area two boundaries share (to highlight an overlap on a map). */
export function overlapShape(a: Boundary, b: Boundary): Boundary | undefined {
  return boxesOverlap(a, b) ? asBoundary(intersection(geomOf(a), geomOf(b))) : undefined;
}

/** The part of `child` outside `parent`. */
export function outsideShape(child: Boundary, parent: Boundary): Boundary | undefined {
  return asBoundary(boxesOverlap(child, parent) ? difference(geomOf(child), geomOf(parent)) : (geomOf(child) as ReturnType<typeof intersection>));
}

/** The part of `parent` none of `children` covers (a gap between sibling units), with its area. */
export function gapShape(parent: Boundary, children: readonly Boundary[]): { shape?: Boundary; areaM2: number } {
  if (!children.length) return { areaM2: 0 };
  const covered = union(geomOf(children[0]), ...children.slice(1).map(geomOf));
  const rest = difference(geomOf(parent), covered);
  return { shape: asBoundary(rest), areaM2: multiArea(rest, midLat(parent)) };
}
