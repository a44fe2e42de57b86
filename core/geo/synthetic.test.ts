import { describe, it, expect } from "vitest";
import { Boundary } from "./schema.ts";
import type { Polygon } from "./schema.ts";
import { bbox, pointInBoundary } from "./measure.ts";
import { seededRandom, subdivide, syntheticCounty, syntheticGrid, MOUDING_MICRO_GRIDS } from "./synthetic.ts";
import { InvalidError } from "../errors.ts";

const origin: [number, number] = [101.45, 25.2];

/** n seeded random points inside a boundary (rejection sampling in its bbox). */
function pointsIn(b: Boundary, n: number, seed = 7): [number, number][] {
  const rnd = seededRandom(seed);
  const [x0, y0, x1, y1] = bbox(b);
  const out: [number, number][] = [];
  while (out.length < n) {
    const p: [number, number] = [x0 + rnd() * (x1 - x0), y0 + rnd() * (y1 - y0)];
    if (pointInBoundary(p, b)) out.push(p);
  }
  return out;
}

const containing = (cells: { boundary: Polygon }[], p: readonly number[]) =>
  cells.flatMap((c, i) => (pointInBoundary(p, c.boundary) ? [i] : []));

const rectangleOf = (cells: { boundary: Polygon }[]): Polygon => {
  const boxes = cells.map((c) => bbox(c.boundary));
  const x0 = Math.min(...boxes.map((b) => b[0])), y0 = Math.min(...boxes.map((b) => b[1]));
  const x1 = Math.max(...boxes.map((b) => b[2])), y1 = Math.max(...boxes.map((b) => b[3]));
  return { type: "Polygon", coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] };
};

describe("syntheticGrid", () => {
  it("makes cols × rows valid polygons, row-major from the south-west, with square cells in metres", () => {
    const cells = syntheticGrid({ origin, cols: 4, rows: 3, cellMeters: 500 });
    expect(cells).toHaveLength(12);
    expect(cells.map((c) => [c.row, c.col]).slice(0, 5)).toEqual([[0, 0], [0, 1], [0, 2], [0, 3], [1, 0]]);
    for (const c of cells) expect(Boundary.safeParse(c.boundary).success).toBe(true);
    expect(cells[0].boundary.coordinates[0][0]).toEqual(origin);
    const [x0, y0, x1, y1] = bbox(cells[0].boundary);
    const widthM = (x1 - x0) * 111_195 * Math.cos(25.2 * Math.PI / 180);
    expect(widthM).toBeCloseTo(500, 0);
    expect((y1 - y0) * 111_195).toBeCloseTo(500, 0);
  });

  it("is deterministic for a seed and varies with the seed", () => {
    const a = syntheticGrid({ origin, cols: 5, rows: 5, cellMeters: 300, jitter: 0.2, seed: 3 });
    const b = syntheticGrid({ origin, cols: 5, rows: 5, cellMeters: 300, jitter: 0.2, seed: 3 });
    const c = syntheticGrid({ origin, cols: 5, rows: 5, cellMeters: 300, jitter: 0.2, seed: 4 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("keeps jittered cells valid and the outer rectangle straight", () => {
    const plain = syntheticGrid({ origin, cols: 6, rows: 4, cellMeters: 300 });
    const cells = syntheticGrid({ origin, cols: 6, rows: 4, cellMeters: 300, jitter: 0.24, seed: 9 });
    for (const c of cells) expect(Boundary.safeParse(c.boundary).success).toBe(true);
    expect(rectangleOf(cells)).toEqual(rectangleOf(plain));
  });

  it("tiles its rectangle: every random point lands in exactly one cell, with or without jitter", () => {
    for (const jitter of [0, 0.2]) {
      const cells = syntheticGrid({ origin, cols: 8, rows: 6, cellMeters: 200, jitter, seed: 5 });
      for (const p of pointsIn(rectangleOf(cells), 3000)) expect(containing(cells, p)).toHaveLength(1);
    }
  });

  it("boundary rule: a point on a shared edge or node belongs to the cell to its north-east only", () => {
    const cols = 5, rows = 4;
    const cells = syntheticGrid({ origin, cols, rows, cellMeters: 250 });
    const node = (r: number, c: number) => {
      const cell = cells[Math.min(r, rows - 1) * cols + Math.min(c, cols - 1)];
      const [sw, se, ne, nw] = cell.boundary.coordinates[0];
      return r < rows ? (c < cols ? sw : se) : c < cols ? nw : ne;
    };
    for (let r = 0; r <= rows; r++) {
      for (let c = 0; c <= cols; c++) {
        const expected = r < rows && c < cols ? [r * cols + c] : [];
        expect(containing(cells, node(r, c))).toEqual(expected);
        if (r < rows) {
          // midpoint of the vertical edge above the node: belongs to the cell east of it
          const p = [node(r, c)[0], (node(r, c)[1] + node(r + 1, c)[1]) / 2];
          expect(containing(cells, p)).toEqual(c < cols ? [r * cols + c] : []);
        }
        if (c < cols) {
          // midpoint of the horizontal edge right of the node: belongs to the cell north of it
          const p = [(node(r, c)[0] + node(r, c + 1)[0]) / 2, node(r, c)[1]];
          expect(containing(cells, p)).toEqual(r < rows ? [r * cols + c] : []);
        }
      }
    }
  });

  it("puts each interior node of a jittered lattice in exactly one cell", () => {
    const cells = syntheticGrid({ origin, cols: 7, rows: 7, cellMeters: 150, jitter: 0.24, seed: 11 });
    for (const c of cells) {
      const [sw] = c.boundary.coordinates[0];
      expect(containing(cells, sw)).toHaveLength(1);
    }
  });

  it("rejects bad options", () => {
    expect(() => syntheticGrid({ origin, cols: 0, rows: 1, cellMeters: 1 })).toThrow(InvalidError);
    expect(() => syntheticGrid({ origin, cols: 1.5, rows: 1, cellMeters: 1 })).toThrow(InvalidError);
    expect(() => syntheticGrid({ origin, cols: 1, rows: 1, cellMeters: -1 })).toThrow(InvalidError);
    expect(() => syntheticGrid({ origin, cols: 1, rows: 1, cellMeters: 1, jitter: 0.25 })).toThrow(/jitter/);
    expect(() => syntheticGrid({ origin: [179.99, 0], cols: 10, rows: 1, cellMeters: 1000 })).toThrow(InvalidError);
  });
});

describe("subdivide", () => {
  it("cuts a cell into nx × ny valid cells sharing its corners", () => {
    const [parent] = syntheticGrid({ origin, cols: 1, rows: 1, cellMeters: 1000 });
    const kids = subdivide(parent, 3, 2);
    expect(kids).toHaveLength(6);
    for (const k of kids) expect(Boundary.safeParse(k.boundary).success).toBe(true);
    const ring = parent.boundary.coordinates[0];
    expect(kids[0].boundary.coordinates[0][0]).toEqual(ring[0]);
    expect(kids[2].boundary.coordinates[0][1]).toEqual(ring[1]);
    expect(kids[5].boundary.coordinates[0][2]).toEqual(ring[2]);
    expect(kids[3].boundary.coordinates[0][3]).toEqual(ring[3]);
  });

  it("tiles an axis-aligned parent exactly, edge points included", () => {
    const [parent] = syntheticGrid({ origin, cols: 1, rows: 1, cellMeters: 1000 });
    const kids = subdivide(parent, 4, 3);
    for (const p of pointsIn(parent.boundary, 2000)) expect(containing(kids, p)).toHaveLength(1);
    // every child's corners are in the parent (west/south closed) iff they are in exactly one child
    for (const k of kids) {
      for (const v of k.boundary.coordinates[0]) {
        expect(containing(kids, v).length).toBe(pointInBoundary(v, parent.boundary) ? 1 : 0);
      }
    }
  });

  it("tiles a jittered parent: every random point inside lands in exactly one child", () => {
    const parents = syntheticGrid({ origin, cols: 3, rows: 3, cellMeters: 800, jitter: 0.24, seed: 2 });
    for (const parent of parents) {
      const kids = subdivide(parent, 3, 5);
      for (const p of pointsIn(parent.boundary, 400, parent.row * 3 + parent.col)) {
        expect(containing(kids, p)).toHaveLength(1);
      }
    }
  });

  it("accepts a Polygon and subdivides its children again", () => {
    const [parent] = syntheticGrid({ origin, cols: 1, rows: 1, cellMeters: 1000, jitter: 0 });
    const grand = subdivide(subdivide(parent.boundary, 2, 2)[3], 2, 2);
    expect(grand).toHaveLength(4);
    expect(grand[3].boundary.coordinates[0][2]).toEqual(parent.boundary.coordinates[0][2]);
  });

  it("rejects cells that are not quadrilaterals", () => {
    const tri: Polygon = { type: "Polygon", coordinates: [[[0, 0], [1, 0], [0, 1], [0, 0]]] };
    expect(() => subdivide(tri, 2, 2)).toThrow(/quadrilateral/);
    const [parent] = syntheticGrid({ origin, cols: 1, rows: 1, cellMeters: 10 });
    expect(() => subdivide(parent, 0, 2)).toThrow(InvalidError);
  });
});

describe("syntheticCounty", () => {
  const units = syntheticCounty();
  const byId = new Map(units.map((u) => [u.id, u]));

  it("has Mouding's 6,168 micro-grids under 432 grids, 108 communities, 12 streets and a county", () => {
    const count = (level: string) => units.filter((u) => u.level === level).length;
    expect([count("county"), count("street"), count("community"), count("grid"), count("micro")]).toEqual([
      1, 12, 108, 432, MOUDING_MICRO_GRIDS,
    ]);
    expect(new Set(units.map((u) => u.id)).size).toBe(units.length);
  });

  it("lists parents before children, one level deeper", () => {
    const seen = new Set<string>();
    for (const u of units) {
      if (u.parentId !== null) {
        expect(seen.has(u.parentId)).toBe(true);
        expect(u.depth).toBe(byId.get(u.parentId)!.depth + 1);
        expect(u.id.startsWith(`${u.parentId}.`)).toBe(true);
      }
      seen.add(u.id);
    }
  });

  it("has only valid boundaries", () => {
    for (const u of units) expect(Boundary.safeParse(u.boundary).success).toBe(true);
  });

  it("is the same on every call", () => {
    expect(syntheticCounty()).toEqual(units);
  });

  it("honours a custom micro-grid total and rejects one below the grid count", () => {
    const small = syntheticCounty({ streets: [2, 1], communities: [1, 2], grids: [1, 1], microGrids: 7 });
    expect(small.filter((u) => u.level === "micro")).toHaveLength(7);
    expect(() => syntheticCounty({ streets: [2, 1], communities: [1, 2], grids: [1, 1], microGrids: 3 })).toThrow(
      InvalidError,
    );
  });
});
