/**
 * Point location over a synthetic county with Mouding's 6,168 micro-grids (plus grids, communities, streets
 * and the county): Flatbush index vs a linear scan. Times are per locate, in microseconds.
 */
import { buildLocator, bruteForceLocate, seededRandom, syntheticCounty, bbox } from "../core/geo/index.ts";

const INDEX_LOCATES = 20_000;
const BRUTE_LOCATES = 2_000;
const WARMUP = 1_000;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

function time(points: [number, number][], run: (lng: number, lat: number) => string[]) {
  const us: number[] = new Array(points.length);
  let found = 0;
  for (let i = 0; i < points.length; i++) {
    const [lng, lat] = points[i];
    const t0 = performance.now();
    const ids = run(lng, lat);
    us[i] = (performance.now() - t0) * 1000;
    found += ids.length;
  }
  us.sort((a, b) => a - b);
  return {
    p50: quantile(us, 0.5),
    p99: quantile(us, 0.99),
    mean: us.reduce((s, x) => s + x, 0) / us.length,
    found,
  };
}

export async function locateBench(): Promise<{ name: string; rows: Array<Record<string, number | string>> }> {
  const units = syntheticCounty();
  const micro = units.filter((u) => u.level === "micro").length;
  const t0 = performance.now();
  const locator = buildLocator(units);
  const buildMs = performance.now() - t0;

  // uniform over the county's bbox, seeded: every point is inside some micro-grid
  const [x0, y0, x1, y1] = bbox(units[0].boundary);
  const rnd = seededRandom(2024);
  const points = (n: number) =>
    Array.from({ length: n }, (): [number, number] => [x0 + rnd() * (x1 - x0) * 0.999999, y0 + rnd() * (y1 - y0) * 0.999999]);

  const brute = (lng: number, lat: number) => bruteForceLocate(units, lng, lat);
  time(points(WARMUP), locator.locate);
  time(points(WARMUP / 4), brute);

  const indexPoints = points(INDEX_LOCATES);
  const brutePoints = points(BRUTE_LOCATES);
  const idx = time(indexPoints, locator.locate);
  const bf = time(brutePoints, brute);

  // both methods must give the same answers
  for (const [lng, lat] of brutePoints.slice(0, 200)) {
    if (locator.locate(lng, lat).join() !== brute(lng, lat).join()) {
      throw new Error(`locate mismatch at ${lng},${lat}`);
    }
  }

  const row = (method: string, n: number, r: ReturnType<typeof time>, build: number) => ({
    method,
    entries: units.length,
    locates: n,
    build_ms: round(build),
    p50_us: round(r.p50),
    p99_us: round(r.p99),
    mean_us: round(r.mean),
    units_per_locate: round(r.found / n),
    p50_x_index: round(r.p50 / idx.p50, 1),
    p99_x_index: round(r.p99 / idx.p99, 1),
  });
  return {
    name: `geo locate: ${micro.toLocaleString("en")} micro-grids, ${units.length.toLocaleString("en")} units`,
    rows: [row("flatbush index", INDEX_LOCATES, idx, buildMs), row("brute force", BRUTE_LOCATES, bf, 0)],
  };
}
