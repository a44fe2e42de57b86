/**
 * Deterministic synthetic county grids for tests, benchmarks and the demo county.
 *
 * syntheticGrid tiles a rectangle with quadrilateral cells built on one shared node lattice, so neighbouring
 * cells share their edges exactly (same numbers); with jitter the interior nodes move, border nodes slide
 * along the border and corners stay, so the cells still tile the rectangle. subdivide cuts a quadrilateral
 * cell into nx × ny quadrilaterals by bilinear interpolation; its outer nodes lie on the parent's edges.
 *
 * Boundary rule (see pointInRing): a point on an edge shared by two cells belongs to exactly one of them, the
 * one east of a vertical edge / north of a horizontal edge. For axis-aligned cells (no jitter) this is exact
 * everywhere, including vertices; every point of the parent is in exactly one child. With jitter, children of
 * one parent share exact edges too, but a child's edge on a slanted parent edge only agrees with it up to
 * floating-point rounding (~1e-15°), and so do cells of neighbouring parents cut with different counts.
 */
import { InvalidError } from "../errors.ts";
import { EARTH_RADIUS_METERS } from "./measure.ts";
import type { Polygon, Position } from "./schema.ts";

export type SyntheticCell = {
  row: number; // 0 = southernmost
  col: number; // 0 = westernmost
  boundary: Polygon;
};

export type SyntheticGridOptions = {
  /** South-west corner [lng, lat]. */
  origin: [number, number];
  cols: number;
  rows: number;
  /** Cell side in metres (cells are square in metres at the origin's latitude). */
  cellMeters: number;
  /** Max node displacement as a fraction of a cell, in [0, 0.25) so cells stay convex. Default 0. */
  jitter?: number;
  /** Seed of the deterministic random generator used for jitter. Default 1. */
  seed?: number;
};

/** mulberry32: small deterministic PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METERS_PER_DEGREE = (EARTH_RADIUS_METERS * Math.PI) / 180;

function positiveInt(n: number, name: string): void {
  if (!Number.isInteger(n) || n < 1) throw new InvalidError(`${name} must be a positive integer`, { [name]: n });
}

function quad(sw: Position, se: Position, ne: Position, nw: Position): Polygon {
  // counter-clockwise, as RFC 7946 recommends for outer rings
  const c = (p: Position): Position => [p[0], p[1]];
  return { type: "Polygon", coordinates: [[c(sw), c(se), c(ne), c(nw), c(sw)]] };
}

function cellsFromNodes(nodes: Position[][], cols: number, rows: number): SyntheticCell[] {
  const cells: SyntheticCell[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      cells.push({
        row,
        col,
        boundary: quad(nodes[row][col], nodes[row][col + 1], nodes[row + 1][col + 1], nodes[row + 1][col]),
      });
    }
  }
  return cells;
}

/** cols × rows cells tiling a rectangle whose south-west corner is origin; row-major from the south-west. */
export function syntheticGrid(options: SyntheticGridOptions): SyntheticCell[] {
  const { origin, cols, rows, cellMeters, jitter = 0, seed = 1 } = options;
  positiveInt(cols, "cols");
  positiveInt(rows, "rows");
  if (!(cellMeters > 0) || !Number.isFinite(cellMeters)) {
    throw new InvalidError("cellMeters must be a positive number", { cellMeters });
  }
  if (!(jitter >= 0 && jitter < 0.25)) throw new InvalidError("jitter must be in [0, 0.25)", { jitter });
  const [lng0, lat0] = origin;
  const dLat = cellMeters / METERS_PER_DEGREE;
  const dLng = dLat / Math.cos((lat0 * Math.PI) / 180);
  const lng1 = lng0 + cols * dLng;
  const lat1 = lat0 + rows * dLat;
  if (!(lng0 >= -180 && lat0 >= -90 && lat0 < 90 && lng1 <= 180 && lat1 <= 90)) {
    throw new InvalidError("the synthetic grid must lie within longitude [-180, 180] and latitude [-90, 90]", {
      origin,
      northEast: [lng1, lat1],
    });
  }
  const random = seededRandom(seed);
  const nodes: Position[][] = [];
  for (let r = 0; r <= rows; r++) {
    const line: Position[] = [];
    for (let c = 0; c <= cols; c++) {
      let x = c === cols ? lng1 : lng0 + c * dLng;
      let y = r === rows ? lat1 : lat0 + r * dLat;
      if (jitter > 0) {
        const jx = (random() * 2 - 1) * jitter;
        const jy = (random() * 2 - 1) * jitter;
        if (c > 0 && c < cols) x += jx * dLng; // west and east border nodes keep their longitude
        if (r > 0 && r < rows) y += jy * dLat; // south and north border nodes keep their latitude
      }
      line.push([x, y]);
    }
    nodes.push(line);
  }
  return cellsFromNodes(nodes, cols, rows);
}

const lerp = (a: number, b: number, t: number) => (t === 0 ? a : t === 1 ? b : a + (b - a) * t);
const lerpP = (a: Position, b: Position, t: number): Position => [lerp(a[0], b[0], t), lerp(a[1], b[1], t)];

/**
 * Cut a quadrilateral cell (one ring of 5 positions: sw, se, ne, nw, sw, as syntheticGrid and subdivide make
 * them) into nx columns × ny rows of cells tiling it. row/col are relative to the parent.
 */
export function subdivide(cell: SyntheticCell | Polygon, nx: number, ny: number): SyntheticCell[] {
  positiveInt(nx, "nx");
  positiveInt(ny, "ny");
  const polygon = "boundary" in cell ? cell.boundary : cell;
  const ring = polygon.coordinates[0];
  if (polygon.type !== "Polygon" || polygon.coordinates.length !== 1 || ring.length !== 5) {
    throw new InvalidError("subdivide needs a quadrilateral cell: one ring of 5 positions (sw, se, ne, nw, sw)");
  }
  const [sw, se, ne, nw] = ring;
  const nodes: Position[][] = [];
  for (let j = 0; j <= ny; j++) {
    const v = j / ny;
    const line: Position[] = [];
    for (let i = 0; i <= nx; i++) {
      const u = i / nx;
      line.push(lerpP(lerpP(sw, se, u), lerpP(nw, ne, u), v));
    }
    nodes.push(line);
  }
  return cellsFromNodes(nodes, nx, ny);
}

export const COUNTY_LEVELS = ["county", "street", "community", "grid", "micro"] as const;
export type CountyLevel = (typeof COUNTY_LEVELS)[number];

export type SyntheticUnit = {
  /** Hierarchical code: "C", "C.S01", "C.S01.C02", "C.S01.C02.G03", "C.S01.C02.G03.M004". */
  id: string;
  parentId: string | null;
  depth: number; // index in COUNTY_LEVELS
  level: CountyLevel;
  boundary: Polygon;
};

/** Micro-grids of Mouding county (4,474 rural + 1,578 urban + 116 institutional). */
export const MOUDING_MICRO_GRIDS = 6_168;

export type SyntheticCountyOptions = {
  /** South-west corner [lng, lat]. Default near Mouding, Yunnan. */
  origin?: [number, number];
  /** Street grid: [cols, rows]. Default [4, 3]. */
  streets?: [number, number];
  /** Street cell side, metres. Default 6000. */
  streetMeters?: number;
  /** Communities per street: [nx, ny]. Default [3, 3]. */
  communities?: [number, number];
  /** Grids per community: [nx, ny]. Default [2, 2]. */
  grids?: [number, number];
  /** Micro-grids in all, spread as evenly as possible over the grids (each gets ≥ 1). Default 6,168. */
  microGrids?: number;
  /** Jitter of the street lattice (see syntheticGrid). Default 0.15. */
  jitter?: number;
  seed?: number;
};

/** The most square nx × ny = k. */
function factor(k: number): [number, number] {
  let a = Math.floor(Math.sqrt(k));
  while (k % a !== 0) a--;
  return [k / a, a];
}

/**
 * A whole county, parents before children: county → streets → communities → grids → micro-grids, each level
 * tiling its parent. With the defaults: 1 + 12 + 108 + 432 + 6,168 = 6,721 units.
 */
export function syntheticCounty(options: SyntheticCountyOptions = {}): SyntheticUnit[] {
  const {
    origin = [101.45, 25.2],
    streets = [4, 3],
    streetMeters = 6000,
    communities = [3, 3],
    grids = [2, 2],
    microGrids = MOUDING_MICRO_GRIDS,
    jitter = 0.15,
    seed = 1,
  } = options;
  const gridCount = streets[0] * streets[1] * communities[0] * communities[1] * grids[0] * grids[1];
  positiveInt(microGrids, "microGrids");
  if (microGrids < gridCount) {
    throw new InvalidError(`microGrids must be at least the number of grids (${gridCount})`, { microGrids });
  }
  const streetCells = syntheticGrid({ origin, cols: streets[0], rows: streets[1], cellMeters: streetMeters, jitter, seed });
  const ne = streetCells[streetCells.length - 1].boundary.coordinates[0][2]; // the rectangle's north-east corner
  const county: Polygon = quad(origin, [ne[0], origin[1]], ne, [origin[0], ne[1]]);
  const units: SyntheticUnit[] = [{ id: "C", parentId: null, depth: 0, level: "county", boundary: county }];
  const base = Math.floor(microGrids / gridCount);
  const extra = microGrids % gridCount;
  const pad = (n: number, w: number) => String(n + 1).padStart(w, "0");
  let g = 0;
  streetCells.forEach((street, s) => {
    const sid = `C.S${pad(s, 2)}`;
    units.push({ id: sid, parentId: "C", depth: 1, level: "street", boundary: street.boundary });
    subdivide(street, communities[0], communities[1]).forEach((community, c) => {
      const cid = `${sid}.C${pad(c, 2)}`;
      units.push({ id: cid, parentId: sid, depth: 2, level: "community", boundary: community.boundary });
      subdivide(community, grids[0], grids[1]).forEach((grid, k) => {
        const gid = `${cid}.G${pad(k, 2)}`;
        units.push({ id: gid, parentId: cid, depth: 3, level: "grid", boundary: grid.boundary });
        const [mx, my] = factor(base + (g++ < extra ? 1 : 0));
        subdivide(grid, mx, my).forEach((micro, m) => {
          units.push({ id: `${gid}.M${pad(m, 3)}`, parentId: gid, depth: 4, level: "micro", boundary: micro.boundary });
        });
      });
    });
  });
  return units;
}
