import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { bbox, centroid, distanceMeters, pointInBoundary } from "./measure.ts";
import type { Boundary } from "./schema.ts";

const rect = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [
  [x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0],
];
const square: Boundary = { type: "Polygon", coordinates: [rect(0, 0, 10, 10)] };
const withHole: Boundary = { type: "Polygon", coordinates: [rect(0, 0, 10, 10), rect(2, 2, 4, 4).reverse()] };
const multi: Boundary = {
  type: "MultiPolygon",
  coordinates: [[rect(0, 0, 2, 2)], [rect(10, 0, 12, 2), rect(10.5, 0.5, 11.5, 1.5)]],
};

describe("bbox", () => {
  it("covers every part of a MultiPolygon", () => {
    expect(bbox(multi)).toEqual([0, 0, 12, 2]);
    expect(bbox(withHole)).toEqual([0, 0, 10, 10]);
  });
});

describe("centroid", () => {
  it("is the centre of a rectangle whatever its winding", () => {
    expect(centroid({ type: "Polygon", coordinates: [rect(100, 20, 102, 21)] })).toEqual([101, 20.5]);
    expect(centroid({ type: "Polygon", coordinates: [rect(100, 20, 102, 21).reverse()] })).toEqual([101, 20.5]);
  });

  it("weights by area: an L shape, a hole, two parts", () => {
    // L = [0,2]x[0,1] ∪ [0,1]x[1,2]: area 3, centroid ((2*1 + 0.5*1.5)/3 ...)
    const l: Boundary = { type: "Polygon", coordinates: [[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]] };
    const [lx, ly] = centroid(l);
    expect(lx).toBeCloseTo((2 * 1 + 1 * 0.5) / 3, 12);
    expect(ly).toBeCloseTo((2 * 0.5 + 1 * 1.5) / 3, 12);
    // square 100 at (5,5) minus hole 4 at (3,3)
    const [hx, hy] = centroid(withHole);
    expect(hx).toBeCloseTo((100 * 5 - 4 * 3) / 96, 12);
    expect(hy).toBeCloseTo((100 * 5 - 4 * 3) / 96, 12);
    const [mx, my] = centroid({ type: "MultiPolygon", coordinates: [[rect(0, 0, 2, 2)], [rect(10, 0, 12, 2)]] });
    expect(mx).toBeCloseTo(6, 12);
    expect(my).toBeCloseTo(1, 12);
  });

  it("stays accurate for a small cell far from the origin", () => {
    const [x, y] = centroid({ type: "Polygon", coordinates: [rect(101.45, 25.2, 101.4501, 25.2001)] });
    expect(x).toBeCloseTo(101.45005, 12);
    expect(y).toBeCloseTo(25.20005, 12);
  });
});

describe("pointInBoundary", () => {
  it("excludes holes and includes the area around them", () => {
    expect(pointInBoundary([1, 1], withHole)).toBe(true);
    expect(pointInBoundary([3, 3], withHole)).toBe(false);
    expect(pointInBoundary([5, 3], withHole)).toBe(true);
    expect(pointInBoundary([11, 3], withHole)).toBe(false);
  });

  it("tests every polygon of a MultiPolygon, each with its holes", () => {
    expect(pointInBoundary([1, 1], multi)).toBe(true);
    expect(pointInBoundary([10.2, 1], multi)).toBe(true);
    expect(pointInBoundary([11, 1], multi)).toBe(false); // in the second part's hole
    expect(pointInBoundary([5, 1], multi)).toBe(false); // between the parts
  });

  it("handles a concave polygon", () => {
    const u: Boundary = {
      type: "Polygon",
      coordinates: [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]],
    };
    expect(pointInBoundary([1.5, 2], u)).toBe(false);
    expect(pointInBoundary([0.5, 2], u)).toBe(true);
    expect(pointInBoundary([2.5, 2.9], u)).toBe(true);
  });

  it("closes the west and south edges and opens the east and north edges", () => {
    expect(pointInBoundary([0, 5], square)).toBe(true);
    expect(pointInBoundary([5, 0], square)).toBe(true);
    expect(pointInBoundary([0, 0], square)).toBe(true);
    expect(pointInBoundary([10, 5], square)).toBe(false);
    expect(pointInBoundary([5, 10], square)).toBe(false);
    expect(pointInBoundary([10, 10], square)).toBe(false);
    expect(pointInBoundary([0, 10], square)).toBe(false);
    expect(pointInBoundary([10, 0], square)).toBe(false);
  });

  it("puts a point on the edge of a hole on exactly one side of it (the hole's tile or the ring around it)", () => {
    const hole: Boundary = { type: "Polygon", coordinates: [rect(2, 2, 4, 4)] };
    for (const p of [[2, 3], [4, 3], [3, 2], [3, 4], [2, 2], [4, 4], [2, 4], [4, 2]]) {
      expect([pointInBoundary(p, withHole), pointInBoundary(p, hole)].filter(Boolean)).toHaveLength(1);
    }
  });

  it("agrees with the rectangle test for random points (half-open on the east and north)", () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 11, noNaN: true }), fc.double({ min: -1, max: 11, noNaN: true }), (x, y) => {
        expect(pointInBoundary([x, y], square)).toBe(x >= 0 && x < 10 && y >= 0 && y < 10);
      }),
    );
  });

  it("is false for NaN coordinates", () => {
    expect(pointInBoundary([Number.NaN, 5], square)).toBe(false);
  });
});

describe("distanceMeters", () => {
  it("measures one degree of latitude as about 111.2 km", () => {
    expect(distanceMeters([101, 25], [101, 26])).toBeCloseTo(111_195, 0);
  });
  it("measures Beijing to Shanghai as about 1,067 km", () => {
    const d = distanceMeters([116.4074, 39.9042], [121.4737, 31.2304]);
    expect(d / 1000).toBeGreaterThan(1060);
    expect(d / 1000).toBeLessThan(1075);
  });
  it("is zero for the same point and symmetric", () => {
    expect(distanceMeters([101.5, 25.3], [101.5, 25.3])).toBe(0);
    fc.assert(
      fc.property(
        fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true })),
        fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true })),
        (a, b) => {
          const d = distanceMeters(a, b);
          expect(d).toBeCloseTo(distanceMeters(b, a), 3);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(Math.PI * 6_371_008.8 + 1e-6);
        },
      ),
    );
  });
});
