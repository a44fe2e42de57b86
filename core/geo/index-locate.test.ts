import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { buildLocator, bruteForceLocate } from "./index-locate.ts";
import type { LocatorEntry } from "./index-locate.ts";
import { bbox } from "./measure.ts";
import { seededRandom, syntheticCounty, MOUDING_MICRO_GRIDS } from "./synthetic.ts";
import type { Boundary } from "./schema.ts";

const rect = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [
  [x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0],
];
const poly = (...rings: [number, number][][]): Boundary => ({ type: "Polygon", coordinates: rings });

describe("buildLocator", () => {
  it("returns every containing entry, deepest first, input order among equal depths", () => {
    const entries: LocatorEntry[] = [
      { id: "county", depth: 0, boundary: poly(rect(0, 0, 10, 10)) },
      { id: "grid-a", depth: 2, boundary: poly(rect(0, 0, 5, 5)) },
      { id: "street", depth: 1, boundary: poly(rect(0, 0, 5, 10)) },
      { id: "venue", depth: 2, boundary: poly(rect(1, 1, 2, 2)) }, // overlaps grid-a on purpose
    ];
    const loc = buildLocator(entries);
    expect(loc.size).toBe(4);
    expect(loc.locate(1.5, 1.5)).toEqual(["grid-a", "venue", "street", "county"]);
    expect(loc.locate(3, 7)).toEqual(["street", "county"]);
    expect(loc.locate(7, 7)).toEqual(["county"]);
    expect(loc.locate(11, 7)).toEqual([]);
  });

  it("respects holes and MultiPolygons: an enclave goes to the unit filling the hole", () => {
    const entries: LocatorEntry[] = [
      { id: "village", depth: 3, boundary: poly(rect(0, 0, 10, 10), rect(4, 4, 6, 6)) },
      { id: "enclave", depth: 3, boundary: poly(rect(4, 4, 6, 6)) },
      {
        id: "park",
        depth: 3,
        boundary: { type: "MultiPolygon", coordinates: [[rect(20, 0, 22, 2)], [rect(30, 0, 32, 2)]] },
      },
    ];
    const loc = buildLocator(entries);
    expect(loc.locate(5, 5)).toEqual(["enclave"]);
    expect(loc.locate(4, 5)).toEqual(["enclave"]); // on the hole's west edge: closed side of the enclave
    expect(loc.locate(6, 5)).toEqual(["village"]); // on the hole's east edge
    expect(loc.locate(2, 5)).toEqual(["village"]);
    expect(loc.locate(31, 1)).toEqual(["park"]);
    expect(loc.locate(25, 1)).toEqual([]); // inside the MultiPolygon's bbox, between its parts
  });

  it("handles no entries and non-finite coordinates", () => {
    expect(buildLocator([]).locate(1, 1)).toEqual([]);
    expect(buildLocator([]).size).toBe(0);
    const loc = buildLocator([{ id: "a", depth: 0, boundary: poly(rect(0, 0, 1, 1)) }]);
    expect(loc.locate(Number.NaN, 0.5)).toEqual([]);
    expect(loc.locate(0.5, Infinity)).toEqual([]);
  });
});

describe("locator over a 6,168 micro-grid county", () => {
  const units = syntheticCounty();
  const loc = buildLocator(units);
  const parentOf = new Map(units.map((u) => [u.id, u.parentId]));
  const [x0, y0, x1, y1] = bbox(units[0].boundary);
  const w = x1 - x0, h = y1 - y0;

  it("indexes every unit", () => {
    expect(units.filter((u) => u.depth === 4)).toHaveLength(MOUDING_MICRO_GRIDS);
    expect(loc.size).toBe(units.length);
  });

  it("agrees with brute force on 4,000 seeded random points, some outside the county", () => {
    const rnd = seededRandom(42);
    for (let i = 0; i < 4000; i++) {
      const lng = x0 - 0.05 * w + rnd() * 1.1 * w;
      const lat = y0 - 0.05 * h + rnd() * 1.1 * h;
      expect(loc.locate(lng, lat)).toEqual(bruteForceLocate(units, lng, lat));
    }
  });

  it("agrees with brute force on lattice vertices and edge midpoints", () => {
    const rnd = seededRandom(43);
    for (let i = 0; i < 1500; i++) {
      const u = units[Math.floor(rnd() * units.length)];
      const ring = u.boundary.coordinates[0];
      const k = Math.floor(rnd() * 4);
      const [a, b] = [ring[k], ring[k + 1]];
      for (const p of [a, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]]) {
        expect(loc.locate(p[0], p[1])).toEqual(bruteForceLocate(units, p[0], p[1]));
      }
    }
  });

  it("finds one unit per level inside the county, chained child to parent", () => {
    fc.assert(
      // stop short of 1: x0 + u * w would round onto the open east/north edge
      fc.property(fc.double({ min: 0, max: 0.999999, noNaN: true }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (u, v) => {
        const ids = loc.locate(x0 + u * w, y0 + v * h);
        expect(ids).toHaveLength(5);
        for (let i = 0; i < 4; i++) expect(parentOf.get(ids[i])).toBe(ids[i + 1]);
        expect(ids[4]).toBe("C");
      }),
      { numRuns: 2000 },
    );
  });

  it("finds nothing outside the county", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), (t, westOrSouth) => {
        const p = westOrSouth ? [x0 - 1e-9, y0 + t * h] : [x0 + t * w, y1 + 1e-9];
        expect(loc.locate(p[0], p[1])).toEqual([]);
      }),
    );
  });
});
