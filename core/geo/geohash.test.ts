import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { geohash, geohashBox, geohashCellsAround, geohashNeighbors, geohashPrecisionFor, GEOHASH_PRECISION_100M } from "./geohash.ts";
import { distanceMeters } from "./measure.ts";
import { InvalidError } from "../errors.ts";

const RAD = Math.PI / 180;
const M_PER_DEG = 6_371_008.8 * RAD;

describe("geohash", () => {
  it("matches published examples", () => {
    expect(geohash(-5.6, 42.6, 5)).toBe("ezs42");
    expect(geohash(10.40744, 57.64911, 11)).toBe("u4pruydqqvj");
  });
  it("defaults to precision 7 and prefixes coarser hashes", () => {
    const h = geohash(101.5283, 25.3121);
    expect(h).toHaveLength(GEOHASH_PRECISION_100M);
    expect(geohash(101.5283, 25.3121, 5)).toBe(h.slice(0, 5));
  });
  it("puts the point inside the decoded cell", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -180, max: 179.999, noNaN: true }),
        fc.double({ min: -90, max: 89.999, noNaN: true }),
        fc.integer({ min: 1, max: 12 }),
        (lng, lat, p) => {
          const [w, s, e, n] = geohashBox(geohash(lng, lat, p));
          expect(lng >= w && lng < e && lat >= s && lat < n).toBe(true);
        },
      ),
    );
  });
  it("rejects bad precision, coordinates and hashes", () => {
    expect(() => geohash(1, 2, 0)).toThrow(InvalidError);
    expect(() => geohash(1, 2, 13)).toThrow(InvalidError);
    expect(() => geohash(181, 2)).toThrow(InvalidError);
    expect(() => geohash(Number.NaN, 2)).toThrow(InvalidError);
    expect(() => geohashBox("wk2a")).toThrow(InvalidError);
    expect(() => geohashNeighbors("")).toThrow(InvalidError);
  });
});

describe("geohashNeighbors", () => {
  it("returns the cell first and its 8 distinct neighbours of the same length", () => {
    const h = geohash(101.5283, 25.3121);
    const ns = geohashNeighbors(h);
    expect(ns[0]).toBe(h);
    expect(new Set(ns).size).toBe(9);
    expect(ns.every((x) => x.length === h.length)).toBe(true);
  });
  it("returns cells that touch the centre cell", () => {
    const h = geohash(101.5283, 25.3121, 6);
    const [w, s, e, n] = geohashBox(h);
    for (const x of geohashNeighbors(h).slice(1)) {
      const [w2, s2, e2, n2] = geohashBox(x);
      const touches = w2 <= e && e2 >= w && s2 <= n && n2 >= s;
      expect(touches).toBe(true);
    }
  });
  it("wraps around the antimeridian and drops cells beyond a pole", () => {
    const east = geohash(179.9999, 0, 4);
    const west = geohash(-179.9999, 0, 4);
    expect(geohashNeighbors(east)).toContain(west);
    expect(geohashNeighbors(geohash(10, 89.9999, 3))).toHaveLength(6);
  });
  it("finds every point within 100 m at precision 7 up to 45° latitude", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 73, max: 135, noNaN: true }),
        fc.double({ min: 18, max: 45, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        fc.double({ min: 0, max: 99.9, noNaN: true }),
        (lng, lat, bearing, meters) => {
          const other: [number, number] = [
            lng + (meters * Math.sin(bearing)) / (M_PER_DEG * Math.cos(lat * RAD)),
            lat + (meters * Math.cos(bearing)) / M_PER_DEG,
          ];
          expect(distanceMeters([lng, lat], other)).toBeLessThan(100.1);
          expect(geohashNeighbors(geohash(lng, lat, 7))).toContain(geohash(other[0], other[1], 7));
        },
      ),
      { numRuns: 2000 },
    );
  });
  it("picks a precision that covers a radius at a latitude", () => {
    expect(geohashPrecisionFor(100, 25)).toBe(7);
    expect(geohashPrecisionFor(100, 50)).toBe(6);
    expect(geohashPrecisionFor(15, 25)).toBe(8); // 34 m × 19 m cells
    expect(geohashPrecisionFor(20, 25)).toBe(7);
    expect(geohashPrecisionFor(1e9, 25)).toBe(1);
  });
});

describe("geohashCellsAround", () => {
  it("contains the precision-6 cell of every point within 100 m (latitudes 18–45°)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 73, max: 135, noNaN: true }),
        fc.double({ min: 18, max: 45, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        fc.double({ min: 0, max: 99, noNaN: true }),
        (lng, lat, angle, r) => {
          const dLat = (r * Math.sin(angle)) / 111_195;
          const dLng = (r * Math.cos(angle)) / (111_195 * Math.cos((lat * Math.PI) / 180));
          const other: [number, number] = [lng + dLng, lat + dLat];
          if (distanceMeters([lng, lat], other) > 100) return;
          expect(geohashCellsAround(lng, lat, 100, 6)).toContain(geohash(other[0], other[1], 6));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
