/**
 * Ring-level primitives shared by validation and measurement: point-in-ring (crossing number),
 * point-on-ring, segment intersection and a self-intersection finder.
 *
 * Coordinates are planar [x, y] = [lng, lat]. Inputs may carry a third value (altitude): it is ignored.
 */

export type XY = readonly number[];

/**
 * Crossing-number test of one ring. Boundary rule (half-open): a point on a shared edge belongs to exactly
 * one of the two rings sharing it, the one lying east of a vertical edge / north of a horizontal edge, i.e.
 * an axis-aligned cell is closed on its west and south sides and open on its east and north sides.
 * Each edge is evaluated from its lower endpoint, so two rings sharing an edge compute the same crossing
 * abscissa bit for bit whichever direction they walk it in.
 */
export function pointInRing(x: number, y: number, ring: readonly XY[]): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = ring[i];
    const b = ring[j];
    const ay = a[1];
    const by = b[1];
    if (ay > y !== by > y) {
      // canonical orientation: from the lower endpoint to the upper one
      let lx: number, ly: number, ux: number, uy: number;
      if (ay < by) {
        lx = a[0]; ly = ay; ux = b[0]; uy = by;
      } else {
        lx = b[0]; ly = by; ux = a[0]; uy = ay;
      }
      const xCross = lx + ((ux - lx) * (y - ly)) / (uy - ly);
      if (x < xCross) inside = !inside;
    }
  }
  return inside;
}

/** Sign of the turn a→b→c: >0 left (counter-clockwise), <0 right, 0 collinear. */
export function orient(a: XY, b: XY, c: XY): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/** For c collinear with a-b: whether c lies within the closed segment's bounding box. */
function withinBox(a: XY, b: XY, c: XY): boolean {
  return (
    Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1])
  );
}

/** Whether point c lies on the closed segment a-b. */
export function onSegment(a: XY, b: XY, c: XY): boolean {
  return orient(a, b, c) === 0 && withinBox(a, b, c);
}

/** Whether closed segments p1-p2 and p3-p4 share at least one point (touching counts). */
export function segmentsIntersect(p1: XY, p2: XY, p3: XY, p4: XY): boolean {
  const d1 = orient(p3, p4, p1);
  const d2 = orient(p3, p4, p2);
  const d3 = orient(p1, p2, p3);
  const d4 = orient(p1, p2, p4);
  if (d1 !== d2 && d3 !== d4 && d1 !== 0 && d2 !== 0 && d3 !== 0 && d4 !== 0) return true;
  if (d1 === 0 && withinBox(p3, p4, p1)) return true;
  if (d2 === 0 && withinBox(p3, p4, p2)) return true;
  if (d3 === 0 && withinBox(p1, p2, p3)) return true;
  if (d4 === 0 && withinBox(p1, p2, p4)) return true;
  return false;
}

/** Whether the point lies on any edge of the ring. */
export function pointOnRing(p: XY, ring: readonly XY[]): boolean {
  for (let i = 1; i < ring.length; i++) if (onSegment(ring[i - 1], ring[i], p)) return true;
  return false;
}

/** The ring without consecutive repeated positions (still closed if the input was). */
export function dropRepeats(ring: readonly XY[]): XY[] {
  const out: XY[] = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

/** A point shared by two intersecting segments: the crossing point, or a touching/overlapping endpoint. */
function contactPoint(p1: XY, p2: XY, p3: XY, p4: XY): [number, number] {
  for (const [a, b, c] of [[p3, p4, p1], [p3, p4, p2], [p1, p2, p3], [p1, p2, p4]]) {
    if (onSegment(a, b, c)) return [c[0], c[1]];
  }
  const d = (p2[0] - p1[0]) * (p4[1] - p3[1]) - (p2[1] - p1[1]) * (p4[0] - p3[0]);
  const t = ((p3[0] - p1[0]) * (p4[1] - p3[1]) - (p3[1] - p1[1]) * (p4[0] - p3[0])) / d;
  return [p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])];
}

export type SelfIntersection = {
  /** Index (in the de-duplicated ring) of the first vertex of each offending edge, a < b. */
  a: number;
  b: number;
  /** Where the edges meet (approximately), for messages. */
  near: [number, number];
};

/** Brute force below this many edges; a sweep over the edges' boxes sorted by their left side above it. */
const BRUTE_FORCE_EDGES = 64;

/**
 * Find a pair of edges of a closed ring (first == last, no consecutive repeats) that touch or cross,
 * other than adjacent edges meeting at their shared vertex. Adjacent edges that fold back over each other
 * (a spike, or a zero-area ring) count as an intersection. Returns null when the ring is simple, else the
 * pair (a, b) that comes first in edge order (smallest a, then smallest b), whatever the ring's size.
 * Candidate pairs come from a sweep over the edges' bounding boxes sorted by their left side (sort and
 * sweep: only edges whose boxes overlap are tested), so typical rings cost O(n log n); no spatial index
 * library is needed (the unit import's read stage loads this, issue #15).
 */
export function findSelfIntersection(ring: readonly XY[]): SelfIntersection | null {
  const m = ring.length - 1; // number of edges; edge i = ring[i] -> ring[i+1]
  if (m < 3) return null;
  const adjacent = (i: number, j: number) => j === i + 1 || (i === 0 && j === m - 1);
  const test = (i: number, j: number): SelfIntersection | null => {
    const p1 = ring[i], p2 = ring[i + 1], p3 = ring[j], p4 = ring[j + 1];
    if (adjacent(i, j)) {
      // shared vertex: p2 === p3 (j = i + 1) or p4 === p1 (closing edge); invalid only if they fold back
      const [a, s, c] = j === i + 1 ? [p1, p2, p4] : [p3, p1, p2];
      const folds =
        orient(a, s, c) === 0 && (s[0] - a[0]) * (c[0] - s[0]) + (s[1] - a[1]) * (c[1] - s[1]) < 0;
      return folds ? { a: i, b: j, near: [s[0], s[1]] } : null;
    }
    return segmentsIntersect(p1, p2, p3, p4) ? { a: i, b: j, near: contactPoint(p1, p2, p3, p4) } : null;
  };

  if (m <= BRUTE_FORCE_EDGES) {
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const hit = test(i, j);
        if (hit) return hit;
      }
    }
    return null;
  }

  const minX = new Float64Array(m), maxX = new Float64Array(m), minY = new Float64Array(m), maxY = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const a = ring[i], b = ring[i + 1];
    minX[i] = Math.min(a[0], b[0]);
    maxX[i] = Math.max(a[0], b[0]);
    minY[i] = Math.min(a[1], b[1]);
    maxY[i] = Math.max(a[1], b[1]);
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => minX[x] - minX[y]);
  // the edges whose boxes reach the sweep line (closed boxes: edges that only touch are candidates)
  const active: number[] = [];
  let best: SelfIntersection | null = null;
  for (const e of order) {
    let kept = 0;
    for (const f of active) if (maxX[f] >= minX[e]) active[kept++] = f;
    active.length = kept;
    for (const f of active) {
      if (maxY[f] < minY[e] || minY[f] > maxY[e]) continue;
      const i = e < f ? e : f, j = e < f ? f : e;
      if (best && (i > best.a || (i === best.a && j >= best.b))) continue; // only a pair that comes earlier matters
      best = test(i, j) ?? best;
    }
    active.push(e);
  }
  return best;
}

/** [minX, minY, maxX, maxY] of a ring's vertices. */
export function bboxOfRing(ring: readonly XY[]): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of ring) {
    if (p[0] < minX) minX = p[0];
    if (p[0] > maxX) maxX = p[0];
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
  }
  return [minX, minY, maxX, maxY];
}
