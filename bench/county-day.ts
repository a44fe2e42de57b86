import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeAreaEntries } from "../functions/area-entries.ts";
import { areaOf } from "../functions/areas.ts";
import { findRoute, routeKey } from "../functions/routes.ts";
import { seededRandom } from "../core/geo/index.ts";
import { benchStack } from "./bundles.ts";
import { apiEvent, bundle, coldInit } from "./cold.ts";
import { progress, quantile, round, type BenchResult, type Row } from "./harness.ts";

/**
 * A working day of the reference county replayed through both layouts of the HTTP API — one
 * function per route (before) and one function per area (now) — with Lambda's container behaviour
 * modelled: a request takes an idle warm container of its function if there is one, else a new
 * container starts (cold: the function's measured cold init is added); a container idle for N
 * minutes is reclaimed. Cold inits are measured here (fresh process, import + first request against
 * the embedded stack); warm service times are the same in both layouts.
 *
 * The day (county time, seeded): 6,168 micro-grids, 200,000 cases a year ≈ 550 reports a day with
 * their actions, 60 staff on the console by an hour-of-day profile, a partner polling Open311,
 * residents' channel. Schedules and queue consumers are the same functions in both layouts and are
 * left out of the shares.
 */
const REPORTS_PER_DAY = 550;
const STAFF = 60;
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 3);
const IDLE_MINUTES = [5, 15];
const root = fileURLToPath(new URL("../", import.meta.url));

/** Share of the day's activity per hour (county time), staff console and reports. */
const HOUR_PROFILE = [0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 2.5, 7, 9.5, 10, 9, 5, 6.5, 9, 9.5, 9, 7, 3, 1.5, 1, 0.8, 0.5, 0.3];

interface Req {
  t: number; // ms since 00:00 county time
  key: string; // route key
}

/** Console pages staff open: each page is a burst of reads (route keys), weighted by how often. */
const PAGES: Array<[number, string[]]> = [
  [30, ["GET /v1/cases", "GET /v1/me/notifications"]], // case desk
  [22, ["GET /v1/cases/{id}", "GET /v1/units/{id}"]], // case page
  [8, ["GET /v1/units", "GET /v1/units/locate"]], // map
  [8, ["GET /v1/registry/households", "GET /v1/registry/people"]], // registry
  [6, ["GET /v1/duties/visits", "GET /v1/duties/patrols"]], // duties
  [4, ["GET /v1/tasks"]],
  [4, ["GET /v1/appraisals", "GET /v1/scoring-rules"]], // appraisals
  [3, ["GET /v1/users", "GET /v1/departments"]], // staff admin
  [3, ["GET /v1/categories", "GET /v1/calendar"]],
  [2, ["GET /v1/exports"]],
  [2, ["GET /v1/audit"]],
  [1, ["GET /v1/jobs"]],
  [1, ["GET /v1/ops/queues"]],
  [6, ["GET /v1/me"]],
];

/** The day's requests, sorted by time. */
export function countyDay(seed = 6168): Req[] {
  const rnd = seededRandom(seed);
  const out: Req[] = [];
  const weight = HOUR_PROFILE.reduce((a, b) => a + b, 0);
  const atHour = (share: number) => {
    // an hour drawn from the profile, a time uniformly inside it
    let x = rnd() * weight;
    let h = 0;
    while (x > HOUR_PROFILE[h]) x -= HOUR_PROFILE[h++];
    return Math.floor((h + rnd() * share) * 3_600_000);
  };
  const add = (t: number, key: string) => {
    if (!findRoute(key)) throw new Error(`county-day: ${key} is not in the route table`);
    if (t >= 0 && t < 86_400_000) out.push({ t, key });
  };
  // reports (grid workers' app and residents): locate, upload, report; then the case's actions over the day
  for (let i = 0; i < REPORTS_PER_DAY; i++) {
    const t = atHour(1);
    add(t, "GET /v1/units/locate");
    add(t + 3_000, "POST /v1/uploads");
    add(t + 20_000, "POST /v1/cases");
    let at = t;
    for (const step of ["accept", "claim", "start", "handle"]) {
      at += 5 * 60_000 + rnd() * 90 * 60_000;
      if (rnd() < 0.15) break; // some wait for tomorrow
      add(at, "GET /v1/cases/{id}");
      add(at + 15_000, "POST /v1/cases/{id}/{action}");
      if (step === "handle") add(at + 20_000, "POST /v1/cases/{id}/attachments");
    }
  }
  // staff on the console: sign in, refresh every 15 min while active, open pages
  const pagesWeight = PAGES.reduce((a, [w]) => a + w, 0);
  for (let s = 0; s < STAFF; s++) {
    const start = (7.5 + rnd() * 2) * 3_600_000;
    const end = (16.5 + rnd() * 2.5) * 3_600_000;
    add(start, "POST /v1/auth/login");
    add(start + 1_000, "GET /v1/me");
    for (let r = start + 15 * 60_000; r < end; r += 15 * 60_000) add(r, "POST /v1/auth/refresh");
    // a page every 1–8 minutes while at the desk, with a lunch break
    for (let t = start; t < end; t += 60_000 + rnd() * 7 * 60_000) {
      const h = t / 3_600_000;
      if (h >= 12 && h < 13.5 && rnd() < 0.85) continue;
      let x = rnd() * pagesWeight;
      let p = 0;
      while (x > PAGES[p][0]) x -= PAGES[p++][0];
      PAGES[p][1].forEach((key, k) => add(t + k * 150, key));
    }
  }
  // a partner polling Open311 every 10 minutes around the clock, services hourly
  for (let t = 0; t < 86_400_000; t += 10 * 60_000) add(t + 17_000, "GET /open311/v2/requests.json");
  for (let t = 0; t < 86_400_000; t += 3_600_000) add(t + 31_000, "GET /open311/v2/services.json");
  // residents checking their reports
  for (let i = 0; i < 120; i++) add(atHour(1), "GET /v1/residents/grids/{code}");
  return out.sort((a, b) => a.t - b.t);
}

/** Warm service time of a request (ms): the same draw in both layouts. */
function serviceTimes(reqs: Req[], seed = 42): number[] {
  const rnd = seededRandom(seed);
  return reqs.map((r) => (r.key.startsWith("POST") ? 60 : 25) + -Math.log(1 - rnd()) * 20);
}

interface Sim {
  requests: number;
  cold: number;
  coldWork: number;
  workRequests: number;
  p50: number;
  p95: number;
  p50Work: number;
  p95Work: number;
  functions: number;
  containers: number;
  /** containers started (cold starts) by function */
  containersByFunction: Record<string, number>;
}

/** Replays the day through one layout. */
export function simulate(reqs: Req[], service: number[], fnOf: (key: string) => string, initOf: (fn: string) => number, idleMinutes: number): Sim {
  const idleMs = idleMinutes * 60_000;
  const pools = new Map<string, Array<{ busyUntil: number; lastUsed: number }>>();
  const lat: number[] = [];
  const latWork: number[] = [];
  let cold = 0;
  let coldWork = 0;
  let containers = 0;
  const containersByFunction: Record<string, number> = {};
  reqs.forEach((r, i) => {
    const fn = fnOf(r.key);
    const pool = (pools.get(fn) ?? []).filter((c) => c.busyUntil > r.t || r.t - c.lastUsed < idleMs); // reclaim idle ones
    pools.set(fn, pool);
    const free = pool.filter((c) => c.busyUntil <= r.t).sort((a, b) => b.lastUsed - a.lastUsed)[0];
    let ms = service[i];
    let container = free;
    const work = r.t >= 8 * 3_600_000 && r.t < 18 * 3_600_000;
    if (!container) {
      container = { busyUntil: 0, lastUsed: 0 };
      pool.push(container);
      containers++;
      containersByFunction[fn] = (containersByFunction[fn] ?? 0) + 1;
      cold++;
      if (work) coldWork++;
      ms += initOf(fn);
    }
    container.busyUntil = r.t + ms;
    container.lastUsed = r.t + ms;
    lat.push(ms);
    if (work) latWork.push(ms);
  });
  lat.sort((a, b) => a - b);
  latWork.sort((a, b) => a - b);
  return {
    requests: reqs.length,
    cold,
    coldWork,
    workRequests: latWork.length,
    p50: quantile(lat, 0.5),
    p95: quantile(lat, 0.95),
    p50Work: quantile(latWork, 0.5),
    p95Work: quantile(latWork, 0.95),
    functions: pools.size,
    containers,
    containersByFunction,
  };
}

export async function countyDayBench(): Promise<BenchResult> {
  const reqs = countyDay();
  const service = serviceTimes(reqs);
  const keys = [...new Set(reqs.map((r) => r.key))];
  const routesUsed = keys.map((k) => findRoute(k)!);
  const areasUsed = [...new Set(routesUsed.map((r) => areaOf(r)))];

  // measure each function's cold init: area functions (as deployed) and one-function-per-route bundles
  const dir = mkdtempSync(join(tmpdir(), "wangge-county-day-"));
  const { stack, token } = await benchStack();
  const init = new Map<string, number>();
  try {
    writeAreaEntries();
    const tick = progress("cold init per function", areasUsed.length + routesUsed.length);
    let n = 0;
    // area functions split as deployed (sst.config.ts); the old one-function-per-route bundles as they were (one file)
    const measure = async (name: string, entry: string, key: string) => {
      const r = findRoute(key)!;
      const { file } = await bundle(entry, join(dir, `${n}.mjs`), { splitting: name.startsWith("area:") });
      const event = apiEvent(r.method, r.path.replace(/\{[^}]+\}/g, "x"), routeKey(r), { token, body: r.method === "GET" ? undefined : {} });
      init.set(name, (await coldInit(file, event, stack.env, RUNS)).totalMs);
      tick(++n);
    };
    for (const area of areasUsed) {
      const firstKey = keys.find((k) => areaOf(findRoute(k)!) === area)!;
      await measure(`area:${area}`, join(root, `functions/_areas/${area}.ts`), firstKey);
    }
    for (const [i, r] of routesUsed.entries()) {
      // a per-route function's entry: its one route registered for the wrapper (functions/route-registry.ts), then its handler
      const entry = join(dir, `route-${i}.ts`);
      const file = join(root, r.handler.replace(/\.[^.]+$/, ".ts"));
      writeFileSync(entry, `import { registerRoutes } from ${JSON.stringify(join(root, "functions/route-registry.ts"))};\nregisterRoutes([${JSON.stringify(r)}]);\nexport { handler } from ${JSON.stringify(file)};\n`);
      await measure(`route:${routeKey(r)}`, entry, routeKey(r));
    }
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const layouts: Array<[string, (key: string) => string]> = [
    ["one function per route", (key) => `route:${key}`],
    ["area functions", (key) => `area:${areaOf(findRoute(key)!)}`],
  ];
  const rows: Row[] = [];
  const results: Record<string, Sim> = {};
  for (const idle of IDLE_MINUTES) {
    for (const [name, fnOf] of layouts) {
      const s = simulate(reqs, service, fnOf, (fn) => init.get(fn)!, idle);
      results[`${name} / ${idle} min`] = s;
      rows.push({
        layout: name,
        idle_min: idle,
        functions_hit: s.functions,
        requests: s.requests,
        cold_pct: round((100 * s.cold) / s.requests, 2),
        cold_pct_08_18: round((100 * s.coldWork) / s.workRequests, 2),
        p50_ms: round(s.p50, 1),
        p95_ms: round(s.p95, 1),
        p95_ms_08_18: round(s.p95Work, 1),
        containers: s.containers,
      });
    }
  }
  const meanInit = (prefix: string) => {
    const xs = [...init].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
    return round(xs.reduce((a, b) => a + b, 0) / xs.length, 1);
  };
  const area5 = results["area functions / 5 min"];
  return {
    name: `county-day: ${reqs.length.toLocaleString("en")} API requests of one working day (${REPORTS_PER_DAY} reports, ${STAFF} staff, Open311 partner) through both layouts`,
    rows,
    notes: [
      `measured cold init (import + first request, median of ${RUNS} fresh processes): area functions mean ${meanInit("area:")} ms over ${areasUsed.length}; per-route functions mean ${meanInit("route:")} ms over ${routesUsed.length} routes used`,
      `target: area layout ≤ 5 % cold requests between 08:00 and 18:00 — at N = 5 min: ${round((100 * area5.coldWork) / area5.workRequests, 2)} %`,
      "latency = modelled warm service time (same draw in both layouts) + the function's cold init when the request starts a container",
    ],
    coldInitMs: Object.fromEntries([...init].map(([k, v]) => [k, round(v, 1)])),
    // area layout, 5 minutes, by function: `npm run cost` bills the registry function's as KMS Decrypts (one data-key unwrap per container)
    coldStartsByFunction: area5.containersByFunction,
  } as BenchResult;
}
