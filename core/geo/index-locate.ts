/**
 * Locate a point in a set of unit boundaries (the active units of a county) with a static R-tree
 * (Flatbush) over their bounding boxes, then an exact point-in-boundary test on the candidates.
 * Which units are active is the caller's business: pass only those.
 */
import Flatbush from "flatbush";
import { bbox, pointInBoundary } from "./measure.ts";
import type { Boundary } from "./schema.ts";

export type LocatorEntry = {
  id: string;
  /** Depth in the unit tree (county 0, street 1, ...); deeper wins. */
  depth: number;
  /** A valid boundary (parsed with the Boundary schema). */
  boundary: Boundary;
};

export type Locator = {
  /** Ids of all entries containing the point, deepest first (input order among equal depths). */
  locate(lng: number, lat: number): string[];
  /** Number of indexed entries. */
  readonly size: number;
};

function deepestFirst(entries: readonly LocatorEntry[], hits: number[]): string[] {
  hits.sort((a, b) => entries[b].depth - entries[a].depth || a - b);
  return hits.map((i) => entries[i].id);
}

/** Build a locator; O(n log n). The entries array is captured, not copied: do not mutate it afterwards. */
export function buildLocator(entries: readonly LocatorEntry[]): Locator {
  if (entries.length === 0) return { locate: () => [], size: 0 };
  const index = new Flatbush(entries.length);
  for (const e of entries) {
    const [minX, minY, maxX, maxY] = bbox(e.boundary);
    index.add(minX, minY, maxX, maxY);
  }
  index.finish();
  return {
    size: entries.length,
    locate(lng: number, lat: number): string[] {
      if (!Number.isFinite(lng) || !Number.isFinite(lat)) return [];
      const point = [lng, lat];
      const hits = index.search(lng, lat, lng, lat, (i) => pointInBoundary(point, entries[i].boundary));
      return deepestFirst(entries, hits);
    },
  };
}

/** Reference implementation: test every entry. Same result as buildLocator(entries).locate. */
export function bruteForceLocate(entries: readonly LocatorEntry[], lng: number, lat: number): string[] {
  const point = [lng, lat];
  const hits: number[] = [];
  for (let i = 0; i < entries.length; i++) if (pointInBoundary(point, entries[i].boundary)) hits.push(i);
  return deepestFirst(entries, hits);
}
