import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { Boundary, MultiPolygon, Point, Polygon, Position, MAX_BOUNDARY_POSITIONS } from "./schema.ts";
import { parse } from "../validate.ts";
import { InvalidError } from "../errors.ts";

const square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
const poly = (...rings: number[][][]) => ({ type: "Polygon", coordinates: rings });

function issues(input: unknown) {
  const r = Boundary.safeParse(input);
  expect(r.success).toBe(false);
  return r.error!.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

/** A star-shaped (hence simple) ring around (cx, cy) with n vertices. */
function circle(n: number, cx = 100, cy = 30, r = 0.01): number[][] {
  const ring = Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
  return [...ring, ring[0]];
}

describe("Position", () => {
  it("accepts [lng, lat] and drops an altitude", () => {
    expect(Position.parse([116.4, 39.9])).toEqual([116.4, 39.9]);
    expect(Position.parse([116.4, 39.9, 44.5])).toEqual([116.4, 39.9]);
  });
  it("turns -0 into 0", () => {
    expect(Object.is(Position.parse([-0, 1])[0], 0)).toBe(true);
  });
  it("rejects out-of-range longitude and latitude with a message naming the axis", () => {
    expect(Position.safeParse([180.5, 0]).error!.issues[0]).toMatchObject({
      path: [0],
      message: "longitude must be between -180 and 180",
    });
    expect(Position.safeParse([0, -91]).error!.issues[0]).toMatchObject({
      path: [1],
      message: "latitude must be between -90 and 90",
    });
  });
  it("rejects too few or too many numbers and non-numbers", () => {
    expect(Position.safeParse([1]).success).toBe(false);
    expect(Position.safeParse([1, 2, 3, 4]).success).toBe(false);
    expect(Position.safeParse(["1", 2]).success).toBe(false);
    expect(Position.safeParse([Number.NaN, 2]).success).toBe(false);
    expect(Position.safeParse([Infinity, 2]).success).toBe(false);
  });
});

describe("Polygon rings", () => {
  it("accepts a closed simple ring", () => {
    expect(Boundary.parse(poly(square))).toEqual({ type: "Polygon", coordinates: [square] });
  });

  it("rejects an open ring, pointing at the last position", () => {
    expect(issues(poly([[0, 0], [1, 0], [1, 1], [0, 1]]))).toEqual([
      { path: "coordinates.0.3", message: "ring is not closed: the last position [0, 1] must equal the first [0, 0]" },
    ]);
  });

  it("rejects a ring with fewer than 4 positions", () => {
    expect(issues(poly([[0, 0], [1, 0], [0, 0]]))).toEqual([
      { path: "coordinates.0", message: "a ring needs at least 4 positions (got 3)" },
    ]);
  });

  it("rejects out-of-range coordinates with the path of the bad number", () => {
    const found = issues(poly([[0, 0], [181, 0], [1, 95], [0, 0]]));
    expect(found).toEqual([
      { path: "coordinates.0.1.0", message: "longitude must be between -180 and 180" },
      { path: "coordinates.0.2.1", message: "latitude must be between -90 and 90" },
    ]);
  });

  it("rejects a bow-tie and says where the edges cross", () => {
    const found = issues(poly([[0, 0], [1, 0], [0, 1], [1, 1], [0, 0]]));
    expect(found).toHaveLength(1);
    expect(found[0].path).toBe("coordinates.0.3");
    expect(found[0].message).toMatch(/^ring self-intersects at about \[0\.5, 0\.5\]/);
  });

  it("rejects a ring that touches itself at a vertex (figure eight)", () => {
    const eight = [[0, 0], [1, 0], [1, 1], [2, 1], [2, 2], [1, 2], [1, 1], [0, 1], [0, 0]];
    expect(issues(poly(eight))[0].message).toMatch(/self-intersects at about \[1, 1\]/);
  });

  it("rejects a spike folding back over its own edge and a zero-area ring", () => {
    const spike = [[0, 0], [2, 0], [2, 1], [3, 1], [2.5, 1], [1, 1], [0, 1], [0, 0]];
    expect(issues(poly(spike))[0].message).toMatch(/self-intersects/);
    expect(issues(poly([[0, 0], [1, 0], [2, 0], [0, 0]]))[0].message).toMatch(/self-intersects/);
  });

  it("rejects a ring with fewer than 3 distinct positions", () => {
    expect(issues(poly([[0, 0], [1, 1], [1, 1], [0, 0]]))[0].message).toBe(
      "a ring needs at least 3 distinct positions",
    );
  });

  it("tolerates consecutive repeated positions", () => {
    expect(Boundary.safeParse(poly([[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]])).success).toBe(true);
  });

  it("accepts collinear consecutive edges (a redundant vertex)", () => {
    expect(Boundary.safeParse(poly([[0, 0], [0.5, 0], [1, 0], [1, 1], [0, 1], [0, 0]])).success).toBe(true);
  });

  it("checks large rings with the index: a 5,000-gon passes, one crossing in it fails", () => {
    const ring = circle(5000);
    expect(Boundary.safeParse(poly(ring)).success).toBe(true);
    const crossed = ring.map((p) => [...p]);
    [crossed[2000], crossed[2001]] = [crossed[2001], crossed[2000]];
    const found = issues(poly(crossed));
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/self-intersects/);
    const far = ring.map((p) => [...p]);
    // one vertex moved across the centre, beyond the far side: its two edges cut the circle
    far[1000] = [100 - 1.5 * (far[1000][0] - 100), 30 - 1.5 * (far[1000][1] - 30)];
    expect(issues(poly(far))[0].message).toMatch(/self-intersects/);
  });

  it("rejects a ring longer than 10,000 positions", () => {
    expect(issues(poly(circle(10_000)))).toEqual([
      { path: "coordinates.0", message: "a ring may have at most 10000 positions (got 10001)" },
    ]);
  });

  it("rejects a boundary with more than 50,000 positions in all", () => {
    const parts = Array.from({ length: 6 }, (_, i) => [circle(8999, 100 + i, 30)]);
    expect(parts.flat(2).length).toBeGreaterThan(MAX_BOUNDARY_POSITIONS);
    expect(issues({ type: "MultiPolygon", coordinates: parts })).toEqual([
      { path: "coordinates", message: "a boundary may have at most 50000 positions in all (got 54000)" },
    ]);
  });

  it("accepts a hole inside the outer ring and rejects one outside it", () => {
    const outer = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
    const hole = [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]];
    expect(Boundary.safeParse(poly(outer, hole)).success).toBe(true);
    const outside = [[12, 2], [12, 4], [14, 4], [14, 2], [12, 2]];
    expect(issues(poly(outer, outside))).toEqual([
      { path: "coordinates.1", message: "hole 1 is not inside the outer ring" },
    ]);
    const concave = [[0, 0], [10, 0], [10, 10], [8, 10], [8, 2], [2, 2], [2, 10], [0, 10], [0, 0]];
    const inNotch = [[4, 6], [4, 8], [6, 8], [6, 6], [4, 6]]; // within the bbox but outside the polygon
    expect(issues(poly(concave, inNotch))[0].path).toBe("coordinates.1");
  });

  it("validates each polygon of a MultiPolygon, with the part in the path", () => {
    const good = [[[5, 5], [6, 5], [6, 6], [5, 5]]];
    expect(MultiPolygon.safeParse({ type: "MultiPolygon", coordinates: [[square], good] }).success).toBe(true);
    const r = Boundary.safeParse({ type: "MultiPolygon", coordinates: [[square], [[[5, 5], [6, 5], [6, 6]]]] });
    expect(r.error!.issues[0].path).toEqual(["coordinates", 1, 0]);
  });

  it("rejects other geometry types and empty coordinates", () => {
    expect(issues({ type: "LineString", coordinates: [] })[0].message).toBe(
      "a boundary must be a GeoJSON Polygon or MultiPolygon",
    );
    expect(issues(poly())[0].message).toBe("a polygon needs an outer ring");
    expect(issues({ type: "MultiPolygon", coordinates: [] })[0].message).toBe("a multipolygon needs at least one polygon");
  });

  it("turns into an InvalidError with field paths through parse()", () => {
    try {
      parse(Polygon, poly([[0, 0], [1, 0], [0, 1], [1, 1], [0, 0]]), "boundary");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidError);
      const err = e as InvalidError;
      expect(err.message).toBe("Invalid boundary");
      expect(err.details).toMatchObject({ fields: [{ path: "coordinates.0.3", code: "custom" }] });
    }
  });

  it("accepts every star-shaped ring (vertices sorted by angle around an inner point)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 300 }).chain((n) =>
          fc.tuple(
            fc.array(fc.double({ min: -0.4, max: 0.4, noNaN: true }), { minLength: n, maxLength: n }),
            fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
          ),
        ),
        ([jitters, radii]) => {
          const n = jitters.length;
          const ring = jitters.map((j, i) => {
            const t = ((i + j) / n) * 2 * Math.PI;
            return [100 + radii[i] * Math.cos(t), 30 + radii[i] * Math.sin(t)];
          });
          ring.push(ring[0]);
          expect(Boundary.safeParse(poly(ring)).error?.issues).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("Point", () => {
  it("accepts a GeoJSON point and rejects an out-of-range one", () => {
    expect(Point.parse({ type: "Point", coordinates: [101.5, 25.3, 1800] })).toEqual({
      type: "Point",
      coordinates: [101.5, 25.3],
    });
    expect(Point.safeParse({ type: "Point", coordinates: [101.5, 125.3] }).success).toBe(false);
  });
});
