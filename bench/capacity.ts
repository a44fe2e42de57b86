import { randomInt } from "node:crypto";
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ulid } from "ulid";
import { db, tableName } from "../core/db/client.ts";
import { capacity as byCommand, measureCapacity, measured, setBillingProbe, type Capacity } from "../core/db/metrics.ts";
import { billingProbe } from "../core/ops/cost/repo-billing.ts";
import { startStack, type LocalStack } from "../local/stack.ts";
import { seedDemoCounty } from "../local/demo-county.ts";
import { queues } from "../functions/queues.ts";
import { idCheckChar } from "../core/registry/idcard.ts";
import { putSettings, readSettings } from "../core/settings/service.ts";
import { privacyOf } from "../core/settings/settings.ts";
import { markdownTable, progress, round, type BenchResult, type Row } from "./harness.ts";
import { callRecorder, logCapture, type CallSeen } from "./log-capture.ts";
import { logBook, type LogSummary } from "./log-book.ts";
import { logger } from "../core/log.ts";
import { LAMBDA_MEMORY_MB } from "../core/ops/cost/deployment.ts";

const PASSWORD = "bench-password-123";
const RUNS = Number(process.env.BENCH_CAPACITY_RUNS ?? 20);

/**
 * What each operation costs in DynamoDB: requests, the read and write units AWS bills (computed from the
 * items each request read or wrote: core/ops/cost/repo-billing.ts, units.ts) beside what DynamoDB Local
 * reports (`ReturnConsumedCapacity`, core/db/metrics.ts), and items, per operation, averaged
 * over RUNS runs on the embedded stack — the API call alone (queue consumers paused), the consumers
 * it sets off (per event), and end to end. Beside each, its floor executed as bare DynamoDB calls
 * (the reads and writes the operation cannot avoid, docs/benchmarks.md) and measured ÷ floor.
 */
export async function capacityBench(): Promise<BenchResult> {
  const stack = await startStack({ autoSchedule: false, log: () => {} });
  // the level the stacks deploy (sst.config.ts: INFO unless WANGGE_LOG_LEVEL): what the log figures measure
  logger.setLogLevel(process.env.WANGGE_LOG_LEVEL ?? "INFO");
  measureCapacity(true);
  try {
    await seedDemoCounty({ password: PASSWORD, now: stack.clock.now() });
    // from here on every request's items are read and billed by AWS's rules (core/ops/cost/units.ts)
    setBillingProbe(billingProbe);
    return await run(stack);
  } finally {
    setBillingProbe(undefined);
    measureCapacity(false);
    await stack.stop();
  }
}

const pauseAll = (s: LocalStack, on: boolean) => queues.forEach((q) => s.poller!.pause(q.name, on));
const records = (s: LocalStack) => Object.values(s.poller!.stats()).reduce((n, q) => n + q.records, 0);

function add(a: Capacity, b: Capacity): Capacity {
  const sum = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    requests: a.requests + b.requests,
    rcu: a.rcu + b.rcu,
    wcu: a.wcu + b.wcu,
    items: a.items + b.items,
    byIndex: sum(a.byIndex, b.byIndex),
    txItems: a.txItems + b.txItems,
    txWcu: a.txWcu + b.txWcu,
    billedRru: a.billedRru + b.billedRru,
    billedWru: a.billedWru + b.billedWru,
    billedByIndex: sum(a.billedByIndex, b.billedByIndex),
  };
}
const zero = (): Capacity => ({ requests: 0, rcu: 0, wcu: 0, items: 0, byIndex: {}, txItems: 0, txWcu: 0, billedRru: 0, billedWru: 0, billedByIndex: {} });

async function run(stack: LocalStack): Promise<BenchResult> {
  const login = async (u: string) => ((await (await fetch(`${stack.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: u, password: PASSWORD }) })).json()) as any).accessToken as string;
  const tokens: Record<string, string> = {};
  for (const u of ["worker1", "center", "dept1", "admin"]) tokens[u] = await login(u);
  const api = async (method: string, path: string, user: string, body?: unknown) => {
    const r = await fetch(stack.url + path, { method, headers: { authorization: `Bearer ${tokens[user]}`, "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
    const json = (await r.json()) as any;
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  const me = await api("GET", "/v1/me", "worker1");
  const grid = await api("GET", `/v1/units/${me.assignments[0].unitId}`, "worker1");
  const [lng, lat] = grid.centroid;

  // sums per operation: the API call with consumers paused, then the consumers it set off
  const ops = new Map<string, { api: Capacity; consumers: Capacity; events: number; n: number; commands: Map<string, number>; ms: number }>();
  const note = (op: string, apiCost: Capacity, consumers: Capacity, events: number, commands: Map<string, number>, ms: number) => {
    const o = ops.get(op) ?? { api: zero(), consumers: zero(), events: 0, n: 0, commands: new Map(), ms: 0 };
    for (const [k, v] of commands) o.commands.set(k, (o.commands.get(k) ?? 0) + v);
    ops.set(op, { api: add(o.api, apiCost), consumers: add(o.consumers, consumers), events: o.events + events, n: o.n + 1, commands: o.commands, ms: o.ms + ms });
  };
  // what each operation logs (its handlers' lines, measured) and the lines AWS writes beside them (rendered: core/ops/cost/log-lines.ts)
  const capture = logCapture();
  const calls = callRecorder();
  const logs = logBook(LAMBDA_MEMORY_MB);
  /** `fn` with what the handlers logged and the API calls made while it ran, and its time */
  async function logged<T>(fn: () => Promise<T>): Promise<{ value: T; lines: string[]; calls: CallSeen[]; ms: number }> {
    const t0 = performance.now();
    capture.start();
    calls.start();
    let seen: CallSeen[] = [];
    let lines: string[] = [];
    let value: T;
    try {
      value = await fn();
    } finally {
      // stopped whether or not it threw (a stop restores what its start replaced)
      seen = calls.stop();
      lines = capture.stop();
    }
    return { value, ms: performance.now() - t0, calls: seen, lines };
  }
  const commandCounts = () => new Map([...byCommand].map(([k, v]) => [k.replace(/^dynamodb:/, "").replace(/Command$/, ""), v.requests]));
  async function step<T>(op: string, fn: () => Promise<T>): Promise<T> {
    await stack.poller!.idle();
    pauseAll(stack, true);
    await stack.poller!.settled(); // else a long poll under way takes the call's event and hands it back: a second receive
    const c0 = commandCounts();
    const api = await logged(() => measured(fn));
    const { result, cost } = api.value;
    const commands = new Map([...commandCounts()].map(([k, v]) => [k, v - (c0.get(k) ?? 0)]).filter(([, v]) => (v as number) > 0) as [string, number][]);
    const before = records(stack);
    pauseAll(stack, false);
    const after = await logged(() => measured(() => stack.poller!.idle()));
    const events = records(stack) - before;
    // api.ms: the call as the client saw it (loopback HTTP, the handler, the billing probe's reads)
    note(op, cost, after.value.cost, events, commands, api.ms);
    logs.note(op, api.calls, api.lines, after.lines, events, after.ms);
    return result;
  }

  // a warm container, as the per-call figures mean: one loop unmeasured first (categories, departments, the locate
  // index), and the micro-grids of the spread-out reports located once; what a cold container reads on top is its own cost
  const apart = (i: number) => ({ lng: lng + 0.0012 * (1 + (i % 5)), lat: lat + 0.0012 * Math.floor(i / 5) });
  {
    const w = (await api("POST", "/v1/cases", "worker1", { categoryId: "cat-env-garbage", description: "warm-up", location: { lng: lng - 0.002, lat } })).case;
    for (const [user, action, body] of [["center", "accept", {}], ["dept1", "claim", {}], ["dept1", "handle", { note: "已处理" }], ["worker1", "verify", { pass: true }], ["worker1", "evaluate", { level: "satisfied" }]] as const) await api("POST", `/v1/cases/${w.id}/${action}`, user, body);
    for (let i = 0; i < RUNS; i++) await api("GET", `/v1/units/locate?lng=${apart(i).lng}&lat=${apart(i).lat}`, "center");
  }
  const tick = progress("case loop runs", RUNS);
  for (let i = 0; i < RUNS; i++) {
    const c = (await step("report", () => api("POST", "/v1/cases", "worker1", { categoryId: "cat-env-garbage", description: `capacity ${i}`, location: { lng: lng + (i % 40) * 1e-5, lat } }))).case;
    // a report with no open case of its category within 100 m (most reports): ≥ 120 m from every other point of this bench
    await step("report (none within 100 m)", () => api("POST", "/v1/cases", "center", { categoryId: "cat-env-garbage", description: `capacity apart ${i}`, location: apart(i) }));
    await step("read (case + timeline)", () => api("GET", `/v1/cases/${c.id}`, "center"));
    await step("list (50 per page)", () => api("GET", "/v1/cases?limit=50", "center"));
    await step("comment", () => api("POST", `/v1/cases/${c.id}/comment`, "center", { note: `note ${i}` }));
    await step("action: accept", () => api("POST", `/v1/cases/${c.id}/accept`, "center", {}));
    await step("action: claim", () => api("POST", `/v1/cases/${c.id}/claim`, "dept1", {}));
    await step("action: handle", () => api("POST", `/v1/cases/${c.id}/handle`, "dept1", { note: "已处理" }));
    await step("action: verify", () => api("POST", `/v1/cases/${c.id}/verify`, "worker1", { pass: true }));
    await step("action: evaluate", () => api("POST", `/v1/cases/${c.id}/evaluate`, "worker1", { level: "satisfied" }));
    tick(i + 1);
  }

  // the other channels and areas
  const anonymous = async () => {
    const r = await fetch(`${stack.url}/v1/residents/anonymous`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ gridCode: grid.code }) });
    if (r.status !== 200) throw new Error(`resident session: ${r.status} ${await r.text()}`);
    return ((await r.json()) as any).accessToken as string;
  };
  const partner = (await api("POST", "/v1/api-keys", "admin", { name: `capacity-${ulid()}`, permissions: ["cases:report", "cases:read"] })).key as string;
  const settings = await readSettings();
  await putSettings({ kind: "system", id: "bench" }, { ...settings, privacy: { ...privacyOf(settings), searchesPerUserHour: 10_000 } }, stack.clock.now());
  const idNumbers: string[] = [];
  const partnerRequests: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    tokens.resident = await anonymous(); // a session per report (a resident's daily report limit)
    await step("resident report", () => api("POST", "/v1/cases", "resident", { categoryId: "cat-env-garbage", description: `居民上报 ${i}`, location: { lng: lng + (i % 40) * 1e-5, lat } }));
    await step("Open311 report (partner)", async () => {
      const r = await fetch(`${stack.url}/open311/v2/requests.json`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body: new URLSearchParams({ api_key: partner, service_code: "0101", lat: String(lat), long: String(lng + (i % 40) * 1e-5), description: `合作方上报 ${i}` }).toString(),
      });
      if (r.status !== 201) throw new Error(`open311: ${r.status} ${await r.text()}`);
      partnerRequests.push(((await r.json()) as Array<{ service_request_id: string }>)[0].service_request_id);
    });
    // a partner app following its report: GET Open311's one request (status, agency response)
    await step("Open311 read (partner)", async () => {
      const r = await fetch(`${stack.url}/open311/v2/requests/${partnerRequests[i]}.json?api_key=${encodeURIComponent(partner)}`);
      if (r.status !== 200) throw new Error(`open311 read: ${r.status} ${await r.text()}`);
      const [one] = (await r.json()) as Array<{ service_request_id: string }>;
      if (one?.service_request_id !== partnerRequests[i]) throw new Error(`open311 read answered ${JSON.stringify(one)}`);
    });
    const household = await api("POST", "/v1/registry/households", "worker1", { unitId: grid.id, address: `容量小区 ${i} 号`, membersCount: 2 });
    const first17 = `${randomInt(110000, 660000)}${randomInt(1940, 2000)}${String(randomInt(1, 13)).padStart(2, "0")}${String(randomInt(1, 29)).padStart(2, "0")}${String(randomInt(0, 1000)).padStart(3, "0")}`;
    idNumbers.push(first17 + idCheckChar(first17));
    await api("POST", "/v1/registry/people", "worker1", { householdId: household.id, name: `居民${i}`, idNumber: idNumbers[i], phone: `138${String(randomInt(0, 1e8)).padStart(8, "0")}` });
  }
  for (let i = 0; i < RUNS; i++) {
    await step("registry list (50 households)", () => api("GET", `/v1/registry/households?unitId=${grid.id}&limit=50`, "worker1"));
    await step("registry search (ID number)", async () => {
      const found = await api("POST", "/v1/registry/search", "worker1", { idNumber: idNumbers[i], purpose: "identity_check", reason: "核对来访居民身份" });
      if (found.items.length !== 1) throw new Error(`search found ${found.items.length}`);
    });
  }

  // unit import: importUnits micro-grids under worker1's grid in one CSV, the job run to its end, per unit
  // two-digit micro-grid segments 50..98 are free under a demo grid
  const importUnits = Math.min(Math.max(RUNS * 5, 25), 49);
  const csv = "\uFEFFcode,name,parent_code,level,type,households,population,boundary\r\n" + Array.from({ length: importUnits }, (_, i) => `${grid.code}${50 + i},容量微网格${i},${grid.code},micro_grid,residential,10,25,\r\n`).join("");
  await stack.poller!.idle();
  const imported = await measured(async () => {
    const r = await fetch(`${stack.url}/v1/units/import?format=csv&mode=all`, { method: "POST", headers: { authorization: `Bearer ${tokens.admin}`, "content-type": "text/csv" }, body: csv });
    if (r.status !== 202) throw new Error(`import: ${r.status} ${await r.text()}`);
    const { jobId } = (await r.json()) as any;
    for (;;) {
      await stack.poller!.idle();
      const job = await api("GET", `/v1/jobs/${jobId}`, "admin");
      if (job.status === "succeeded") return job;
      if (job.status === "failed") throw new Error(`import failed: ${JSON.stringify(job.errors.slice(0, 3))}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  });
  if (imported.result.result?.created !== importUnits) throw new Error(`import created ${imported.result.result?.created} of ${importUnits}`);

  // a due timer end to end: a case left unaccepted until its accept deadline passed, the sweep, the timeout consumer and its events' consumers
  const due: string[] = [];
  for (let i = 0; i < RUNS; i++) due.push((await api("POST", "/v1/cases", "worker1", { categoryId: "cat-env-garbage", description: `due ${i}`, location: { lng, lat } })).case.id);
  await stack.poller!.idle();
  stack.clock.advance(30 * 24 * 3600_000);
  // every case of the run has a deadline due by now, not only these: count the timeouts the consumer received
  // (and the ones the sweep applied itself: a few due at once are applied without the queue)
  const timeoutsBefore = stack.poller!.stats().timeouts?.records ?? 0;
  const swept = await logged(() =>
    measured(async () => {
      const r = (await stack.scheduler!.run("timer-sweep")) as { applied?: number };
      await stack.poller!.idle();
      return r.applied ?? 0;
    }),
  );
  const sweep = swept.value;
  const timersFired = (stack.poller!.stats().timeouts?.records ?? 0) - timeoutsBefore + sweep.result;
  // a due timer's logs: the sweep's, the timeout consumer's and its events' consumers', one invocation per timer (an upper bound)
  logs.note("due timer (end to end)", [], [], swept.lines, timersFired, swept.ms);
  // the timer shards of before #16 are read until found empty an hour after the one-shard sweep began: an hour later, unmeasured
  stack.clock.advance(61 * 60_000);
  await stack.scheduler!.run("timer-sweep");
  await stack.poller!.idle();
  // a lone due timer (the usual minute of a county): the sweep's fixed reads that run every minute all fall on it
  const idleRun = await logged(() => measured(() => stack.scheduler!.run("timer-sweep"))); // nothing due: what every minute costs
  const idleSweep = idleRun.value;
  logs.schedule(idleRun.lines, idleRun.ms);
  tokens.worker1 = await login("worker1"); // the clock moved 30 days: a fresh token
  const loneCase = (await api("POST", "/v1/cases", "worker1", { categoryId: "cat-env-garbage", description: "lone due timer", location: { lng, lat } })).case;
  await stack.poller!.idle();
  // just past its deadline (the other cases' next deadlines are days away)
  stack.clock.advance(Date.parse(loneCase.timer.dueAt) - stack.clock.now().getTime() + 60_000);
  const loneBefore = stack.poller!.stats().timeouts?.records ?? 0;
  const lone = await measured(async () => {
    const r = (await stack.scheduler!.run("timer-sweep")) as { applied?: number };
    await stack.poller!.idle();
    return r.applied ?? 0;
  });
  const loneFired = (stack.poller!.stats().timeouts?.records ?? 0) - loneBefore + lone.result;

  // the floors, executed: what each operation cannot avoid
  const floors: Record<string, Capacity> = {};
  const floor = async (op: string, fn: () => Promise<unknown>) => {
    let sum = zero();
    for (let i = 0; i < RUNS; i++) sum = add(sum, (await measured(fn)).cost);
    floors[op] = sum;
  };
  const text = "x".repeat(600);
  // report: one transaction (case, its first event, outbox row, deadline timer) + the duplicate-hint query
  await floor("report", async () => {
    const id = ulid();
    await db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": `FLOOR#NEAR#${id}` }, Limit: 10 }));
    await db().send(new TransactWriteCommand({ TransactItems: ["META", "EV#0001", "OUT#1", "TIMER"].map((sk) => ({ Put: { TableName: tableName(), Item: { pk: `FLOOR#${id}`, sk, text }, ConditionExpression: "attribute_not_exists(pk)" } })) }));
  });
  // an action: read the case, one transaction (case update, event, outbox row)
  const actionFloor = async () => {
    const id = ulid();
    await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `FLOOR#${id}`, sk: "META" }, ConsistentRead: true }));
    await db().send(new TransactWriteCommand({ TransactItems: ["META", "EV#0002", "OUT#2"].map((sk) => ({ Put: { TableName: tableName(), Item: { pk: `FLOOR#${id}`, sk, text } } })) }));
  };
  await floor("action", actionFloor);
  // a read with its timeline: one Query over the case's partition
  await floor("read (case + timeline)", () => db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": `CASE#${due[0]}` } })));
  // a partner's read of one Open311 request: its API key (a GetItem by the key's hash), the key's rate window (one
  // UpdateItem: each key has its own requests-per-minute limit, counted across containers), then the case with its timeline
  await floor("Open311 read (partner)", async () => {
    await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `FLOOR#APIKEY#${ulid()}`, sk: "META" } }));
    await db().send(new UpdateCommand({ TableName: tableName(), Key: { pk: `FLOOR#RATE#${ulid()}`, sk: "W" }, UpdateExpression: "ADD n :one SET expiresAt = :x", ExpressionAttributeValues: { ":one": 1, ":x": 0 } }));
    await db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": `CASE#${due[0]}` } }));
  });
  // a list page: one Query on the list index
  await floor("list (50 per page)", () => db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :p", ExpressionAttributeValues: { ":p": "CASES#OPEN" }, Limit: 50 })));

  // a registry list page: one Query on the households' list index
  await floor("registry list (50 households)", () =>
    db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :p AND begins_with(gsi1sk, :path)", ExpressionAttributeValues: { ":p": "HOUSEHOLDS", ":path": grid.path }, Limit: 50 })),
  );
  // a search: one Query on the HMAC index + the audit row the law asks for
  await floor("registry search (ID number)", async () => {
    await db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :p", ExpressionAttributeValues: { ":p": `FLOOR#HMAC#${ulid()}` }, Limit: 2 }));
    await db().send(new PutCommand({ TableName: tableName(), Item: { pk: `FLOOR#AUDIT#${ulid()}`, sk: "A", text: "x".repeat(300) } }));
  });
  // an imported unit: its item and its code reference, written conditionally, 50 units a transaction
  let importFloor = zero();
  for (let i = 0; i < 2; i++) {
    importFloor = add(
      importFloor,
      (
        await measured(() =>
          db().send(new TransactWriteCommand({ TransactItems: Array.from({ length: 100 }, (_, k) => ({ Put: { TableName: tableName(), Item: { pk: `FLOOR#UNIT#${ulid()}`, sk: k % 2 ? "CODE" : "META", text: "x".repeat(k % 2 ? 60 : 400) }, ConditionExpression: "attribute_not_exists(pk)" } })) })),
        )
      ).cost,
    );
  }
  floors["unit import (per unit)"] = importFloor;

  // rcu/billed: what AWS bills, computed from the items each request read or wrote (core/ops/cost/repo-billing.ts);
  // localRcu/localWcu: what DynamoDB Local reported; estimate: the former estimate from Local's figure (2 per transactional item)
  const per = (c: Capacity, n: number) => ({
    requests: round(c.requests / n, 2),
    rcu: round(c.billedRru / n, 2),
    localRcu: round(c.rcu / n, 2),
    localWcu: round(c.wcu / n, 2),
    items: round(c.items / n, 2),
    billed: round(c.billedWru / n, 2),
    estimate: round(billedWcu(c) / n, 2),
    byIndex: Object.entries(c.billedByIndex).map(([k, v]) => `${k} ${round(v / n, 2)}`).join(", "),
  });
  const floorOf = (op: string) => floors[op] ?? (op.startsWith("action") || op === "comment" ? floors.action : op.endsWith("report") || op.startsWith("report") || op.startsWith("Open311") ? floors.report : undefined);
  const rows: Row[] = [];
  const measuredOps: Record<string, MeasuredOp> = {};
  for (const [op, o] of ops) {
    const a = per(o.api, o.n);
    const f = floorOf(op);
    const fl = f ? per(f, RUNS) : undefined;
    const c = o.events ? per(o.consumers, o.events) : undefined;
    rows.push({
      operation: op,
      requests: a.requests,
      "RCU billed": a.rcu,
      "RCU (Local)": a.localRcu,
      "WCU billed": a.billed,
      "WCU billed by table/index": a.byIndex,
      "WCU (Local)": a.localWcu,
      "WCU est. (Local, tx ×2)": a.estimate,
      items: a.items,
      "floor requests": fl?.requests ?? "",
      "floor RCU+WCU": fl ? round(fl.rcu + fl.billed, 2) : "",
      "× floor (units)": fl && fl.rcu + fl.billed > 0 ? round((a.rcu + a.billed) / (fl.rcu + fl.billed), 2) : "",
      "consumer events": round(o.events / o.n, 2),
      "consumer req/event": c?.requests ?? "",
      "consumer RCU+WCU billed/event": c ? round(c.rcu + c.billed, 2) : "",
      "API requests by command": [...o.commands].sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${round(v / o.n, 2)}`).join(", "),
    });
    measuredOps[op] = { requests: a.requests, rcu: a.rcu, wcu: a.billed, consumerEvents: round(o.events / o.n, 2), consumerRcuPerEvent: c?.rcu ?? 0, consumerWcuPerEvent: c?.billed ?? 0, ms: round(o.ms / o.n, 1), ...logs.perOp(op) };
  }
  {
    // per unit: the import floor's transactions hold 50 units each (2 runs)
    const a = per(imported.cost, importUnits);
    const fl = per(floors["unit import (per unit)"], 100);
    rows.push({ operation: "unit import (per unit, job end to end)", requests: a.requests, "RCU billed": a.rcu, "RCU (Local)": a.localRcu, "WCU billed": a.billed, "WCU billed by table/index": a.byIndex, "WCU (Local)": a.localWcu, "WCU est. (Local, tx ×2)": a.estimate, items: a.items, "floor requests": fl.requests, "floor RCU+WCU": round(fl.rcu + fl.billed, 2), "× floor (units)": fl.rcu + fl.billed > 0 ? round((a.rcu + a.billed) / (fl.rcu + fl.billed), 2) : "" });
    measuredOps["unit import (per unit)"] = { requests: a.requests, rcu: a.rcu, wcu: a.billed, consumerEvents: 0, consumerRcuPerEvent: 0, consumerWcuPerEvent: 0 };
  }
  const s = per(sweep.cost, timersFired);
  rows.push({ operation: `due timer, end to end (sweep + consumers; ${timersFired} timers due at once)`, requests: s.requests, "RCU billed": s.rcu, "RCU (Local)": s.localRcu, "WCU billed": s.billed, "WCU billed by table/index": s.byIndex, "WCU (Local)": s.localWcu, "WCU est. (Local, tx ×2)": s.estimate, items: s.items, "floor requests": 4 });
  measuredOps["due timer (end to end)"] = { requests: s.requests, rcu: s.rcu, wcu: s.billed, consumerEvents: 0, consumerRcuPerEvent: 0, consumerWcuPerEvent: 0, ...logs.perOp("due timer (end to end)") };
  {
    if (loneFired !== 1) throw new Error(`the lone timer's sweep fired ${loneFired} timers, not 1`);
    const l = per(lone.cost, 1);
    const idle = per(idleSweep.cost, 1);
    rows.push({ operation: "due timer alone (sweep + consumers; one timer due)", requests: l.requests, "RCU billed": l.rcu, "RCU (Local)": l.localRcu, "WCU billed": l.billed, "WCU billed by table/index": l.byIndex, "WCU (Local)": l.localWcu, "WCU est. (Local, tx ×2)": l.estimate, items: l.items, "floor requests": 4 });
    rows.push({ operation: "timer sweep with nothing due (every minute)", requests: idle.requests, "RCU billed": idle.rcu, "RCU (Local)": idle.localRcu, "WCU billed": idle.billed, "WCU (Local)": idle.localWcu, "WCU est. (Local, tx ×2)": idle.estimate, items: idle.items });
  }

  const logSummary = logs.summary();
  const appraisal = appraisalFigures();
  if (appraisal) measuredOps["appraisal monthly run"] = { requests: appraisal.run.requests, rcu: appraisal.run.rcu, wcu: appraisal.run.wcu, consumerEvents: 0, consumerRcuPerEvent: 0, consumerWcuPerEvent: 0 };
  if (process.argv.includes("--md")) {
    const file = fileURLToPath(new URL("../core/ops/cost/measured.json", import.meta.url));
    writeFileSync(file, JSON.stringify({ source: "npm run bench -- capacity --md (bench/capacity.ts), embedded stack (DynamoDB Local)", units: "billed by AWS rules, computed from the items each request read or wrote (core/ops/cost/units.ts, repo-billing.ts); the appraisal run: as DynamoDB Local reported", at: new Date().toISOString(), runs: RUNS, appraisal: appraisal ? { at: appraisal.at, cases: appraisal.cases } : null, logs: logSummary, operations: measuredOps }, null, 2) + "\n");
  }
  return {
    title: "Capacity",
    name: `DynamoDB capacity per operation: units AWS bills, computed from the items, beside DynamoDB Local's ReturnConsumedCapacity (mean of ${RUNS} runs, embedded stack)`,
    rows,
    notes: [
      "API columns: the HTTP call alone, queue consumers paused; consumer columns: what the events it published cost once consumers ran",
      "a warm container: one case loop runs unmeasured first and the spread-out reports' micro-grids are located once (a cold container also reads its configuration, the locate index and the units it answers with)",
      "floor: the reads and writes the operation cannot avoid, executed as bare DynamoDB calls in the same run (stated below and beside its code in bench/capacity.ts)",
      "RCU/WCU billed: what AWS bills by its rules (docs/cost.md \"Billed units\"), computed from the items each request read or wrote (each written item read before and after it, core/ops/cost/repo-billing.ts) and the table's index projections (core/db/table.ts); this is what measured.json and `npm run cost` use",
      `logs (bench/log-book.ts, docs/cost.md "Logs"): own lines per call — ${Object.entries(measuredOps).filter(([, o]) => o.logBytes !== undefined).map(([op, o]) => `${op} ${o.logBytes} B${o.consumerLogBytesPerEvent ? ` + ${o.consumerLogBytesPerEvent} B per consumed event` : ""}`).join("; ")}; Lambda's START/END/REPORT ${logSummary.platformBytesPerInvocation} B per invocation, access line ${logSummary.accessLogBytesPerCall} B per call, an idle sweep ${logSummary.scheduleRunLogBytes} B; stored (gzip 6, 64 KB blocks, + 26 B per event) ${logSummary.storedPerRawByte} of the raw bytes (${logSummary.sample.events} events)`,
      "RCU/WCU (Local): what DynamoDB Local reported (ReturnConsumedCapacity), which counts a transaction's largest item only and index units doubled; WCU est.: the former estimate from it (transactional items at 2 each), kept beside for comparison",
    ],
    markdown: [
      "### Floors (executed in the same run)",
      "",
      "- report (staff, resident, Open311): the duplicate-hint Query + one transaction of 4 items (case, first event, outbox row, deadline timer). Measured beside it: the case-number counter (UpdateItem), and, when open cases of the category lie within 100 m, one read of them (their number and current state for the hint).",
      "- action / comment: a consistent GetItem of the case + one transaction of 3 items (case update, event, outbox row).",
      "- read (case + timeline): one Query over the case's partition. list: one Query on the list index. Open311 read (a partner following its report): the API key's GetItem + its rate window's UpdateItem (a per-key limit across containers) + one Query over the case's partition.",
      "- registry list: one Query on the households' list index. registry search: one Query on the HMAC index + the audit row (a search of personal data is audited).",
      "- unit import, per unit: its item and its code reference, conditional Puts, 50 units (100 items) a transaction.",
      "- due timer, end to end: target ≤ 4 requests (the sweep's Query share, the timeout's case transaction, its event's consumers).",
      "",
      logMarkdown(logSummary, measuredOps),
      "",
      appraisal ? appraisal.markdown : "### Appraisal\n\nNo `bench/results/appraisal.json` on this machine: run `npm run bench -- appraisal` first (the section then includes its measured capacity).",
    ].join("\n"),
  };
}

/** The log figures as a table (docs/benchmarks.md), what `npm run cost` bills CloudWatch Logs from. */
function logMarkdown(l: LogSummary, ops: Record<string, MeasuredOp>): string {
  const rows = Object.entries(ops)
    .filter(([, o]) => o.logBytes !== undefined)
    .map(([op, o]) => ({ operation: op, "own log bytes per call": o.logBytes!, "own log events per call": o.logEvents!, "consumers' log bytes per event": o.consumerLogBytesPerEvent!, "consumers' log events per event": o.consumerLogEventsPerEvent! }));
  return [
    "### Logs (what CloudWatch Logs ingests and stores per operation)",
    "",
    markdownTable(rows),
    "",
    `- own lines: what core/log.ts wrote while the call ran and then while its consumers ran (INFO, as deployed); a due timer: its sweep's and consumers' lines per timer.`,
    `- beside them, rendered in AWS's formats with each call's values (core/ops/cost/log-lines.ts): Lambda's START/END/REPORT, ${l.platformBytesPerInvocation} bytes per invocation; the HTTP API's access line, ${l.accessLogBytesPerCall} bytes per call (a browser's user agent, ASSUMED); a scheduled sweep with nothing due logs ${l.scheduleRunLogBytes} bytes of its own.`,
    `- stored: gzip level 6 of the whole stream in 64 KB blocks + 26 bytes per event = **${l.storedPerRawByte}** of the ingested bytes (${l.sample.events.toLocaleString("en")} events, ${l.sample.rawBytes.toLocaleString("en")} → ${l.sample.storedBytes.toLocaleString("en")} bytes).`,
  ].join("\n");
}

/** What `npm run cost` reads: per operation, what one call costs (billed units). */
interface MeasuredOp {
  requests: number;
  rcu: number;
  wcu: number;
  consumerEvents: number;
  consumerRcuPerEvent: number;
  consumerWcuPerEvent: number;
  /** mean ms of the API call as the bench saw it (capacity mode: the billing probe's reads included, an upper bound) */
  ms?: number;
  /** what its handlers log (bench/log-book.ts): bytes and events per call, and per consumed event */
  logBytes?: number;
  logEvents?: number;
  consumerLogBytesPerEvent?: number;
  consumerLogEventsPerEvent?: number;
}

/** Write units AWS bills: DynamoDB Local's figure for plain writes, 2 per transactional item (at least what Local reported). */
const billedWcu = (c: Capacity) => c.wcu - c.txWcu + 2 * Math.max(c.txItems, c.txWcu);

/** The appraisal bench's last result on this machine (its own run and date: 200,000 cases by default). */
function appraisalFigures(): { at: string; cases: number; run: { requests: number; rcu: number; wcu: number }; markdown: string } | undefined {
  const file = fileURLToPath(new URL("./results/appraisal.json", import.meta.url));
  if (!existsSync(file)) return undefined;
  const r = JSON.parse(readFileSync(file, "utf8")) as { at: string; rows: Row[]; notes: string[]; seconds: number };
  const run = r.rows[0];
  const naive = r.rows.find((x) => String(x.method).startsWith("naive full read") && !String(x.method).includes("EXTRAPOLATED"));
  if (run.RCU === undefined || !naive) return undefined; // a result from before capacity was measured
  const cols = ["method", "cases", "subjects", "dynamodb_requests", "items_read", "RCU", "WCU"];
  const pick = (x: Row) => Object.fromEntries(cols.map((k) => [k, x[k] ?? ""]));
  const ratio = round(Number(naive.RCU) / Number(run.RCU), 2);
  return {
    at: r.at,
    cases: Number(run.cases),
    run: { requests: Number(run.dynamodb_requests), rcu: Number(run.RCU), wcu: Number(run.WCU) },
    markdown: [
      "### Appraisal (monthly run vs naive read, both measured in one run of `npm run bench -- appraisal`)",
      "",
      `_${r.at.slice(0, 16).replace("T", " ")} UTC, ${round(r.seconds / 60, 1)} min (bench/appraisal.ts)_`,
      "",
      markdownTable(r.rows.map(pick)),
      "",
      `- naive RCU ÷ monthly-run RCU = **${ratio}×** at ${Number(run.cases).toLocaleString("en")} cases (target ≥ 20×)${naive.cases !== run.cases ? " — naive measured on fewer cases than the run: see its row" : ""}.`,
      ...r.notes.map((n) => `- ${n}`),
    ].join("\n"),
  };
}
