/**
 * Bulk import of a whole county through the HTTP API of an embedded stack (in memory): a synthetic
 * county with Mouding's 6,168 micro-grids (6,721 units with polygons) written as a GeoJSON file,
 * POSTed to /v1/units/import, run by the jobs queue consumer (in this process, so the DynamoDB
 * requests it makes are counted), polled to the end. Then `units/locate` over HTTP for random
 * points against an in-process brute force over the same polygons.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack } from "../local/stack.ts";
import { bbox, bruteForceLocate, seededRandom, syntheticCounty, type SyntheticUnit } from "../core/geo/index.ts";
import { DEFAULT_LEVELS } from "../core/settings/settings.ts";
import { ensureCounty } from "../core/unit/root.ts";
import { createStaff } from "../core/user/service.ts";
import { measureCapacity, measured, requestCounts, resetRequestCounts, totalRequests } from "../core/db/metrics.ts";
import { toGeoJson, type TreeRow } from "../core/unit/export-format.ts";
import type { UnitType } from "../core/unit/schema.ts";
import { progress, quantile, round, type BenchResult } from "./harness.ts";

const COUNTY_CODE = "532323";
const PASSWORD = "bench-password-123";
const LOCATES = 2_000;
const GRID_TYPES: UnitType[] = ["residential", "village_to_residential", "park", "mixed"];

/** The synthetic county as import rows: codes per level width, names, level keys of the settings. */
function countyRows(shape: SyntheticUnit[]): { rows: TreeRow[]; codeOf: Map<string, string> } {
  const codeOf = new Map<string, string>([[shape[0].id, COUNTY_CODE]]);
  const ordinal = new Map<string, number>();
  const rows: TreeRow[] = [{ code: COUNTY_CODE, name: "合成县", parentCode: null, level: "county", type: "county", boundary: shape[0].boundary }];
  for (const u of shape.slice(1)) {
    const n = (ordinal.get(u.parentId!) ?? 0) + 1;
    ordinal.set(u.parentId!, n);
    const level = DEFAULT_LEVELS[u.depth - 1];
    const parentCode = codeOf.get(u.parentId!)!;
    const code = parentCode + String(n).padStart(level.segmentDigits, "0");
    codeOf.set(u.id, code);
    const micro = u.level === "micro";
    rows.push({
      code,
      name: u.level === "street" ? `第${n}街道` : u.level === "community" ? `第${n}社区` : u.level === "grid" ? `第${n}网格` : `第${n}微网格`,
      parentCode,
      level: level.key,
      type: u.level === "street" ? "street" : u.level === "community" ? "community" : GRID_TYPES[(n - 1) % GRID_TYPES.length],
      households: micro ? 8 + ((n * 7) % 5) : undefined,
      population: micro ? 20 + ((n * 13) % 17) : undefined,
      boundary: u.boundary,
    });
  }
  return { rows, codeOf };
}

async function http(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const r = await fetch(url, init);
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

export async function importBench(): Promise<BenchResult> {
  const stack = await startStack({ autoSchedule: false, log: () => {} });
  const dir = mkdtempSync(join(tmpdir(), "wangge-import-"));
  try {
    const now = stack.clock.now();
    const shape = syntheticCounty();
    const root = await ensureCounty(
      { settings: { countyName: "合成县", countyCode: COUNTY_CODE, timeZone: "Asia/Shanghai", levels: DEFAULT_LEVELS, anonymousReports: false, defaultEvaluation: "satisfied", version: 1 }, boundary: shape[0].boundary },
      now,
    );
    await createStaff(undefined, { username: "bench-admin", displayName: "压测管理员", password: PASSWORD, assignments: [{ role: "county_admin", unitId: root.id }] }, now);
    const login = await http(`${stack.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "bench-admin", password: PASSWORD }) });
    const auth = { authorization: `Bearer ${login.body.accessToken}` };

    // the county as a file, read back as the request body
    const { rows, codeOf } = countyRows(shape);
    const file = join(dir, "county.geojson");
    writeFileSync(file, toGeoJson(rows));
    const body = readFileSync(file, "utf8");
    const fileMB = Buffer.byteLength(body) / 2 ** 20;

    resetRequestCounts();
    const t0 = performance.now();
    const posted = await http(`${stack.url}/v1/units/import?format=geojson&mode=all`, { method: "POST", headers: { ...auth, "content-type": "application/geo+json" }, body });
    if (posted.status !== 202) throw new Error(`import refused: ${posted.status} ${JSON.stringify(posted.body)}`);
    const acceptedMs = performance.now() - t0;
    const show = progress("import", rows.length);
    let job: any;
    let firstImportingAt: number | undefined;
    for (;;) {
      job = (await http(`${stack.url}/v1/jobs/${posted.body.jobId}`, { headers: auth })).body;
      if (job.status === "importing") firstImportingAt ??= performance.now();
      show(job.done);
      if (job.status === "succeeded" || job.status === "failed") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - t0) / 1000;
    if (job.status !== "succeeded") throw new Error(`import failed: ${JSON.stringify(job.errors.slice(0, 5))}`);
    const byOp = [...requestCounts].filter(([k]) => k.startsWith("dynamodb:")).sort((a, b) => b[1] - a[1]);
    const ddb = totalRequests("dynamodb:");

    // a second run of the same file: everything is found and left unchanged
    resetRequestCounts();
    const t1 = performance.now();
    const again = await http(`${stack.url}/v1/units/import?format=geojson&mode=all`, { method: "POST", headers: { ...auth, "content-type": "application/geo+json" }, body });
    let rerun: any;
    for (;;) {
      rerun = (await http(`${stack.url}/v1/jobs/${again.body.jobId}`, { headers: auth })).body;
      if (rerun.status === "succeeded" || rerun.status === "failed") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const rerunSeconds = (performance.now() - t1) / 1000;
    const rerunDdb = totalRequests("dynamodb:");

    // locate over HTTP vs brute force in process, same points
    const [x0, y0, x1, y1] = bbox(shape[0].boundary);
    const rnd = seededRandom(7);
    const points = Array.from({ length: LOCATES }, (): [number, number] => [x0 + rnd() * (x1 - x0) * 0.999999, y0 + rnd() * (y1 - y0) * 0.999999]);
    const locate = (lng: number, lat: number) => http(`${stack.url}/v1/units/locate?lng=${lng}&lat=${lat}`, { headers: auth });
    // warm up until the API's index has the imported units (it rechecks the tree version every 5 s)
    const warmUntil = Date.now() + 15_000;
    while (Date.now() < warmUntil) {
      const r = await locate(points[0][0], points[0][1]);
      if (r.status === 200 && r.body.unit.level === "micro_grid") break;
      await new Promise((res) => setTimeout(res, 250));
    }
    const httpMs: number[] = [];
    const answers: string[] = [];
    for (const [lng, lat] of points) {
      const s = performance.now();
      const r = await locate(lng, lat);
      httpMs.push(performance.now() - s);
      answers.push(r.status === 200 ? r.body.unit.code : "");
    }
    const bruteMs: number[] = [];
    let agree = 0;
    points.forEach(([lng, lat], i) => {
      const s = performance.now();
      const ids = bruteForceLocate(shape, lng, lat);
      bruteMs.push(performance.now() - s);
      if (ids.length && codeOf.get(ids[0]) === answers[i]) agree++;
    });
    httpMs.sort((a, b) => a - b);
    bruteMs.sort((a, b) => a - b);

    // the console's unit tree and county map at this size: one level per tree request (county → a street →
    // a community → a grid), the map of every grid and of every micro-grid; median of 5, DynamoDB capacity measured
    measureCapacity(true);
    const view = async (what: string, path: string) => {
      const ms: number[] = [];
      let bytes = 0;
      let items = 0;
      let cost = { requests: 0, rcu: 0 };
      for (let i = 0; i < 5; i++) {
        const { result, cost: c } = await measured(async () => {
          const s = performance.now();
          const r = await fetch(`${stack.url}${path}`, { headers: auth });
          const text = await r.text();
          ms.push(performance.now() - s);
          if (r.status !== 200) throw new Error(`${path}: ${r.status} ${text.slice(0, 200)}`);
          return text;
        });
        bytes = Buffer.byteLength(result);
        items = (JSON.parse(result).items ?? []).length;
        cost = { requests: c.requests, rcu: c.rcu };
      }
      ms.sort((a, b) => a - b);
      return { run: what, units: items, p50_ms: round(quantile(ms, 0.5), 1), answer_KB: round(bytes / 1024, 1), ddb_requests: cost.requests, rcu: round(cost.rcu, 1) };
    };
    const rootId = root.id;
    const firstChild = async (parentId: string) => (await http(`${stack.url}/v1/units/tree?parentId=${parentId}&limit=1`, { headers: auth })).body.items[0].id as string;
    const street = await firstChild(rootId);
    const community = await firstChild(street);
    const grid = await firstChild(community);
    const views = [
      await view("tree: the county's streets", `/v1/units/tree?parentId=${rootId}`),
      await view("tree: a street's communities", `/v1/units/tree?parentId=${street}`),
      await view("tree: a community's grids", `/v1/units/tree?parentId=${community}`),
      await view("tree: a grid's micro-grids", `/v1/units/tree?parentId=${grid}`),
      await view("map: every grid", "/v1/units/map?level=grid"),
      await view("map: every micro-grid", "/v1/units/map?level=micro_grid"),
    ];
    measureCapacity(false);

    const micro = shape.filter((u) => u.level === "micro").length;
    return {
      name: `unit import: synthetic county, ${micro.toLocaleString("en")} micro-grids, ${rows.length.toLocaleString("en")} units, GeoJSON over HTTP on the embedded stack`,
      rows: [
        {
          run: "first import",
          units: rows.length,
          file_MB: round(fileMB),
          seconds: round(seconds),
          units_per_s: round(rows.length / seconds, 0),
          created: job.result.created,
          unchanged: job.result.unchanged,
          ddb_requests: ddb,
          ddb_per_unit: round(ddb / rows.length),
        },
        {
          run: "re-run (idempotent)",
          units: rows.length,
          file_MB: round(fileMB),
          seconds: round(rerunSeconds),
          units_per_s: round(rows.length / rerunSeconds, 0),
          created: rerun.result.created,
          unchanged: rerun.result.unchanged,
          ddb_requests: rerunDdb,
          ddb_per_unit: round(rerunDdb / rows.length),
        },
        {
          run: "locate over HTTP",
          units: rows.length,
          locates: LOCATES,
          p50_ms: round(quantile(httpMs, 0.5), 3),
          p99_ms: round(quantile(httpMs, 0.99), 3),
          agree_with_brute: `${agree}/${LOCATES}`,
        },
        ...views,
        {
          run: "brute force in process",
          units: rows.length,
          locates: LOCATES,
          p50_ms: round(quantile(bruteMs, 0.5), 3),
          p99_ms: round(quantile(bruteMs, 0.99), 3),
          http_over_brute_p50: round(quantile(httpMs, 0.5) / quantile(bruteMs, 0.5), 2),
        },
      ],
      notes: [
        `202 Accepted after ${round(acceptedMs, 0)} ms (file stored in S3, job queued); validation took ${firstImportingAt ? round((firstImportingAt - t0) / 1000, 2) : "?"} s of the total (poll every 200 ms)`,
        `DynamoDB requests of the first import by operation: ${byOp.map(([k, v]) => `${k.slice(9)} ${v}`).join(", ")}`,
        "requests include the job polls (GetItem) and authentication of the polling requests",
        "locate over HTTP includes the local API adapter, JWT check and JSON; brute force tests every polygon in process",
        "tree and map: what the console's 单元树 and 网格地图 ask for at this size (median of 5 over HTTP; answer size uncompressed; RCU as DynamoDB Local reports it)",
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await stack.stop();
  }
}
