import { GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { db, tableName } from "../core/db/client.ts";
import { measureCapacity, measured, type Capacity } from "../core/db/metrics.ts";
import { startStack, type LocalStack } from "../local/stack.ts";
import { seedDemoCounty } from "../local/demo-county.ts";
import { queues } from "../functions/queues.ts";
import { progress, round, type BenchResult, type Row } from "./harness.ts";

const PASSWORD = "bench-password-123";
const RUNS = Number(process.env.BENCH_CAPACITY_RUNS ?? 20);

/**
 * What each operation costs in DynamoDB, as DynamoDB reports it (`ReturnConsumedCapacity`,
 * core/db/metrics.ts): requests, read and write capacity units and items, per operation, averaged
 * over RUNS runs on the embedded stack — the API call alone (queue consumers paused), the consumers
 * it sets off (per event), and end to end. Beside each, its floor executed as bare DynamoDB calls
 * (the reads and writes the operation cannot avoid, docs/benchmarks.md) and measured ÷ floor.
 */
export async function capacityBench(): Promise<BenchResult> {
  const stack = await startStack({ autoSchedule: false, log: () => {} });
  measureCapacity(true);
  try {
    await seedDemoCounty({ password: PASSWORD, now: stack.clock.now() });
    return await run(stack);
  } finally {
    measureCapacity(false);
    await stack.stop();
  }
}

const pauseAll = (s: LocalStack, on: boolean) => queues.forEach((q) => s.poller!.pause(q.name, on));
const records = (s: LocalStack) => Object.values(s.poller!.stats()).reduce((n, q) => n + q.records, 0);

function add(a: Capacity, b: Capacity): Capacity {
  const byIndex = { ...a.byIndex };
  for (const [k, v] of Object.entries(b.byIndex)) byIndex[k] = (byIndex[k] ?? 0) + v;
  return { requests: a.requests + b.requests, rcu: a.rcu + b.rcu, wcu: a.wcu + b.wcu, items: a.items + b.items, byIndex };
}
const zero = (): Capacity => ({ requests: 0, rcu: 0, wcu: 0, items: 0, byIndex: {} });

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
  const ops = new Map<string, { api: Capacity; consumers: Capacity; events: number; n: number }>();
  const note = (op: string, apiCost: Capacity, consumers: Capacity, events: number) => {
    const o = ops.get(op) ?? { api: zero(), consumers: zero(), events: 0, n: 0 };
    ops.set(op, { api: add(o.api, apiCost), consumers: add(o.consumers, consumers), events: o.events + events, n: o.n + 1 });
  };
  async function step<T>(op: string, fn: () => Promise<T>): Promise<T> {
    await stack.poller!.idle();
    pauseAll(stack, true);
    const { result, cost } = await measured(fn);
    const before = records(stack);
    pauseAll(stack, false);
    const after = await measured(() => stack.poller!.idle());
    note(op, cost, after.cost, records(stack) - before);
    return result;
  }

  const tick = progress("case loop runs", RUNS);
  for (let i = 0; i < RUNS; i++) {
    const c = (await step("report", () => api("POST", "/v1/cases", "worker1", { categoryId: "cat-env-garbage", description: `capacity ${i}`, location: { lng: lng + (i % 40) * 1e-5, lat } }))).case;
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

  // a due timer end to end: a case left unaccepted until its accept deadline passed, the sweep, the timeout consumer and its events' consumers
  const due: string[] = [];
  for (let i = 0; i < RUNS; i++) due.push((await api("POST", "/v1/cases", "worker1", { categoryId: "cat-env-garbage", description: `due ${i}`, location: { lng, lat } })).case.id);
  await stack.poller!.idle();
  stack.clock.advance(30 * 24 * 3600_000);
  const sweep = await measured(async () => {
    await stack.scheduler!.run("timer-sweep");
    await stack.poller!.idle();
  });
  const timersFired = due.length;

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
  // a list page: one Query on the list index
  await floor("list (50 per page)", () => db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :p", ExpressionAttributeValues: { ":p": "CASES#OPEN" }, Limit: 50 })));

  const per = (c: Capacity, n: number) => ({ requests: round(c.requests / n, 2), rcu: round(c.rcu / n, 2), wcu: round(c.wcu / n, 2), items: round(c.items / n, 2) });
  const floorOf = (op: string) => floors[op] ?? (op.startsWith("action") || op === "comment" ? floors.action : undefined);
  const rows: Row[] = [];
  for (const [op, o] of ops) {
    const a = per(o.api, o.n);
    const f = floorOf(op);
    const fl = f ? per(f, RUNS) : undefined;
    rows.push({
      operation: op,
      "requests": a.requests,
      "RCU": a.rcu,
      "WCU": a.wcu,
      "items": a.items,
      "floor requests": fl?.requests ?? "",
      "floor RCU+WCU": fl ? round(fl.rcu + fl.wcu, 2) : "",
      "× floor (units)": fl && fl.rcu + fl.wcu > 0 ? round((a.rcu + a.wcu) / (fl.rcu + fl.wcu), 2) : "",
      "consumer events": round(o.events / o.n, 2),
      "consumer req/event": o.events ? round(o.consumers.requests / o.events, 2) : "",
      "consumer RCU+WCU/event": o.events ? round((o.consumers.rcu + o.consumers.wcu) / o.events, 2) : "",
    });
  }
  const s = per(sweep.cost, timersFired);
  rows.push({ operation: "due timer, end to end (sweep + consumers)", requests: s.requests, RCU: s.rcu, WCU: s.wcu, items: s.items });
  return {
    name: `DynamoDB capacity per operation (ReturnConsumedCapacity, mean of ${RUNS} runs, embedded stack)`,
    rows,
    notes: [
      "API columns: the HTTP call alone, queue consumers paused; consumer columns: what the events it published cost once consumers ran",
      "floor: the reads and writes the operation cannot avoid, executed as bare DynamoDB calls in the same run (each floor is stated beside its code in bench/capacity.ts)",
      "DynamoDB Local under-reports transactional writes; AWS bills 2 units per item and KB of a transaction (the cost model charges items)",
    ],
  };
}
