import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { countersFor } from "../core/aggregate/counters.ts";
import { monthCounters, OPEN_DELTA } from "../core/aggregate/month-item.ts";
import { countyMonth, LIVE } from "../core/aggregate/apply.ts";
import { caseIndexKeys, nearCellsOf, nearRowChange } from "../core/case/repo.ts";
import { OPEN_STATES } from "../core/case/machine.ts";
import type { Case } from "../core/case/schema.ts";
import { faultSeed, injectedFaults, reseedFaults, seededRandom } from "../core/faults/inject.ts";
import type { DomainEvent } from "../core/case/repo.ts";
import { SHARDS } from "../core/outbox/shards.ts";
import { resetDb } from "../core/db/client.ts";
import { queues, queueEnvName } from "../functions/queues.ts";
import { consumerCrashes, installFaultsFromEnv } from "./faults.ts";
import { startStack, type LocalStack } from "./stack.ts";
import { seedDemoCounty } from "./demo-county.ts";

/**
 * `npm run loadtest`: N concurrent clients report, act on and read cases, then the run is
 * RECONCILED from a Scan of the raw table (not the API's lists): every acknowledged report exists
 * exactly once, every timeline is gapless and holds exactly the actions that were acknowledged
 * (each once, in order), every case's index rows and idempotency records are there and right, the
 * monthly aggregates moved by exactly a recount of the run's events AND by an independent count of
 * the cases' known paths, the outbox and the queues drained, every fault kind asked for was really
 * injected, and no request was answered 5xx other than 503 + Retry-After (which clients retry).
 *
 *   npm run loadtest                                  embedded stack in this process, 10,000 reports, 32 clients
 *   npm run loadtest -- --reports 2000 --clients 16
 *   WANGGE_FAULTS="dynamodb:0.05,sqs:0.05,s3:0.05,dynamodb-lost:0.02" WANGGE_FAULTS_CRASH_CONSUMER=0.05 npm run loadtest
 *   npm run loadtest -- --seed 1234                   replay the fault draws of a run (its seed is printed)
 *   npm run loadtest -- --restart-at 0.5              stop the stack half-way, start it again on the same data, go on
 *   npm run loadtest -- --url http://localhost:3000   a running `npm start` (raw checks use .wangge/endpoints.json)
 *
 * Every write carries an Idempotency-Key, so clients retry 503s and network errors safely.
 */

export interface LoadOptions {
  /** A running stack (npm start); omitted → an embedded stack is started in this process. */
  url?: string;
  reports?: number;
  clients?: number;
  /** Embedded stack: persist here (a temporary folder when restarting); omitted → in memory. */
  dataDir?: string;
  /** Embedded stack: stop it after this share of the reports and start a new one on the same data. */
  restartAt?: number;
  /** Demo users' password (url mode: WANGGE_DEMO_PASSWORD or .wangge/demo-password). */
  password?: string;
  /** url mode: the stack's AWS endpoints for the raw checks (default .wangge/endpoints.json). */
  endpointsFile?: string;
  /** Embedded stack: visibility timeout of the queues, so a crashed batch comes back quickly (default 5 s). */
  visibilityTimeoutSeconds?: number;
  /** How long the outbox and queues may take to drain after the load (default 5 min). */
  drainTimeoutMs?: number;
  /** Seed of the fault and crash draws and of the reports' locations (default WANGGE_FAULTS_SEED, else random; printed). */
  seed?: number;
  log?: (msg: string) => void;
}

export interface LoadReport {
  ok: boolean;
  problems: string[];
  reports: { requested: number; acknowledged: number; inTable: number; duplicates: number; missing: number };
  timelines: { checked: number; gapped: number; events: number };
  /** each case's timeline holds exactly its acknowledged actions, once each, in order */
  actions: { acknowledged: number; casesChecked: number; mismatched: number };
  /** the reconciliation's scan of the raw table */
  raw: { items: number; scanMs: number; indexProblems: number; idempotencyRecords: number };
  aggregates: { counters: number; mismatched: number; independent: number; independentMismatched: number; skipped?: string };
  seed: number;
  drain: { outboxRows: number; queued: Record<string, number>; ms: number };
  durationMs: number;
  throughput: { reportsPerSecond: number; requestsPerSecond: number };
  latency: Array<{ op: string; attempts: number; p50_ms: number; p99_ms: number; max_ms: number }>;
  statuses: Record<string, number>;
  faults: Record<string, number>;
  restarts: number;
}

const DEFAULT_PASSWORD = "loadtest-demo-password";
const CATEGORIES = ["cat-env-garbage", "cat-facility-light"]; // both claimable by dept1 (城市管理局)
const WORKERS = ["worker1", "worker2"];
const RETRY_FOR_MS = 180_000;

type Op = "login" | "upload" | "report" | "read" | "act" | "list" | "reconcile";

class Stats {
  times = new Map<Op, number[]>();
  statuses = new Map<string, number>();
  problems: string[] = [];
  requests = 0;
  record(op: Op, ms: number, status: string) {
    this.requests++;
    let t = this.times.get(op);
    if (!t) this.times.set(op, (t = []));
    t.push(ms);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }
  problem(p: string) {
    if (this.problems.length < 200) this.problems.push(p);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** HTTP with the retry discipline of a well-behaved client: 503/429 after Retry-After, network errors with backoff. */
class Client {
  tokens = new Map<string, Promise<string>>();
  url: string;
  private password: string;
  private stats: Stats;
  constructor(url: string, password: string, stats: Stats) {
    this.url = url;
    this.password = password;
    this.stats = stats;
  }

  token(user: string, fresh = false): Promise<string> {
    if (fresh) this.tokens.delete(user);
    let t = this.tokens.get(user);
    if (!t) {
      t = this.send("login", "POST", "/v1/auth/login", undefined, { username: user, password: this.password }).then((r) => {
        if (r.status !== 200) throw new Error(`login ${user}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body.accessToken as string;
      });
      t.catch(() => this.tokens.delete(user));
      this.tokens.set(user, t);
    }
    return t;
  }

  async as(user: string, op: Op, method: string, path: string, body?: unknown, idempotencyKey?: string) {
    let res = await this.send(op, method, path, await this.token(user), body, idempotencyKey);
    if (res.status === 401 && res.body?.error?.details?.reason === "expired") res = await this.send(op, method, path, await this.token(user, true), body, idempotencyKey);
    return res;
  }

  async send(op: Op, method: string, path: string, token: string | undefined, body?: unknown, idempotencyKey?: string): Promise<{ status: number; body: any }> {
    const started = Date.now();
    let wait = 100;
    let failures = 0;
    for (;;) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
      const t0 = performance.now();
      let res: Response;
      let text: string;
      try {
        res = await fetch(this.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
        text = await res.text();
      } catch (e) {
        this.stats.record(op, performance.now() - t0, "network error");
        if (Date.now() - started > RETRY_FOR_MS) throw new Error(`${method} ${path}: unreachable for ${RETRY_FOR_MS} ms (${(e as Error).message})`);
        await sleep(wait);
        wait = Math.min(wait * 2, 2000);
        continue;
      }
      let parsed: any;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      const code = parsed?.error?.code;
      this.stats.record(op, performance.now() - t0, `${res.status}${code ? ` ${code}` : ""}`);
      if (res.status === 503 || res.status === 429) {
        const retryAfter = res.headers.get("retry-after");
        if (!retryAfter) this.stats.problem(`${method} ${path}: ${res.status} without Retry-After`);
        if (Date.now() - started > RETRY_FOR_MS) return { status: res.status, body: parsed };
        await sleep(Math.min(Number(retryAfter ?? 1) * 1000, 5000) * (0.5 + Math.random()));
        continue;
      }
      if (res.status >= 500) {
        this.stats.problem(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
        // a 500 is a bug, not congestion: a few retries (safe with the Idempotency-Key), then give up
        if (++failures >= 3 || !idempotencyKey) return { status: res.status, body: parsed };
        await sleep(wait);
        wait = Math.min(wait * 2, 2000);
        continue;
      }
      return { status: res.status, body: parsed };
    }
  }
}

/** Raw access to the stack's table and queues for the checks no API exposes (aggregates, outbox, queue depths). */
class Raw {
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  env: Record<string, string>;
  constructor(env: Record<string, string>) {
    this.env = env;
    const creds = { accessKeyId: env.AWS_ACCESS_KEY_ID ?? "local", secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "local" };
    const region = env.AWS_REGION ?? "us-east-1";
    this.doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region, credentials: creds }));
    this.sqs = new SQSClient({ endpoint: env.AWS_ENDPOINT_URL_SQS, region, credentials: creds, useQueueUrlAsEndpoint: false });
  }
  destroy() {
    this.doc.destroy();
    this.sqs.destroy();
  }
  async queryAll(pk: string): Promise<Record<string, any>[]> {
    const out: Record<string, any>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(new QueryCommand({ TableName: this.env.WANGGE_TABLE, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": pk }, ExclusiveStartKey: start }));
      out.push(...(r.Items ?? []));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }
  /** Every item of the table: a parallel Scan (4 segments), strongly consistent. */
  async scanAll(): Promise<Record<string, any>[]> {
    const segments = 4;
    const parts = await Promise.all(
      Array.from({ length: segments }, async (_, segment) => {
        const out: Record<string, any>[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const r = await this.doc.send(new ScanCommand({ TableName: this.env.WANGGE_TABLE, Segment: segment, TotalSegments: segments, ConsistentRead: true, ExclusiveStartKey: start }));
          out.push(...(r.Items ?? []));
          start = r.LastEvaluatedKey;
        } while (start);
        return out;
      }),
    );
    return parts.flat();
  }
  async outboxRows(): Promise<number> {
    let n = 0;
    for (let shard = 0; shard < SHARDS; shard++) n += (await this.queryAll(`OUTBOX#${shard}`)).length;
    return n;
  }
  /** Messages visible, in flight or delayed, per queue and dead-letter queue. */
  async queueDepths(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const q of queues) {
      for (const [name, url] of [
        [q.name, this.env[queueEnvName(q.name)]],
        [`${q.name}-dlq`, this.env[`WANGGE_DLQ_${q.name.toUpperCase()}_URL`]],
      ]) {
        if (!url) continue;
        const a = await this.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"] }),
        );
        const at = a.Attributes ?? {};
        out[name] = Number(at.ApproximateNumberOfMessages ?? 0) + Number(at.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(at.ApproximateNumberOfMessagesDelayed ?? 0);
      }
    }
    return out;
  }
  /** Every counter of the monthly aggregates of these months: `month|subject|counter` → value. */
  async aggregates(months: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const month of months) {
      for (const item of await this.queryAll(`AGG#${month}`)) {
        // the month's counters (not a unit's dDD_ day attributes or openDelta: core/aggregate/month-item.ts); `open` of AGG#live
        for (const [k, v] of Object.entries(monthCounters(item))) out.set(`${month}|${item.sk}|${k}`, v);
        // a unit's open-count change of the month (core/aggregate/fold.ts): read with the base by the independent count
        if (typeof item[OPEN_DELTA] === "number") out.set(`${month}|${item.sk}|${OPEN_DELTA}`, item[OPEN_DELTA]);
      }
    }
    return out;
  }
}

interface Target {
  url: string;
  raw?: Raw;
  /** the stack's clock (it may have been moved) */
  now(): Promise<Date>;
  runJob(name: string): Promise<void>;
  idle(timeoutMs: number): Promise<void>;
}

function embeddedTarget(stack: LocalStack): Target {
  return {
    url: stack.url,
    raw: new Raw(stack.env),
    now: async () => stack.clock.now(),
    runJob: async (name) => void (await stack.scheduler!.run(name)),
    idle: (ms) => stack.poller!.idle(ms),
  };
}

function remoteTarget(url: string, endpoints: Record<string, string> | undefined): Target {
  const post = async (path: string, body: unknown) => {
    const r = await fetch(url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  };
  return {
    url,
    raw: endpoints ? new Raw(endpoints) : undefined,
    now: async () => {
      const r = await fetch(`${url}/_local/clock`);
      return r.status === 200 ? new Date(((await r.json()) as { now: string }).now) : new Date();
    },
    runJob: (name) => post(`/_local/jobs/${name}`, {}),
    idle: (ms) => post("/_local/queues/idle", { timeoutMs: Math.min(ms, 30_000) }),
  };
}

/** Shorter visibility timeouts (seconds), or back to the declared ones (undefined: startStack insists on them at start). */
async function setVisibility(env: Record<string, string>, seconds: number | undefined): Promise<void> {
  const raw = new Raw(env);
  try {
    for (const q of queues) {
      const url = env[queueEnvName(q.name)];
      const value = seconds === undefined ? q.visibilityTimeoutSeconds : Math.min(seconds, q.visibilityTimeoutSeconds);
      if (url) await raw.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: String(value) } }));
    }
  } finally {
    raw.destroy();
  }
}

/** Run the load and the reconciliation. Never throws for a failed check: `ok` is false and `problems` says why. */
export async function runLoad(opts: LoadOptions = {}): Promise<LoadReport> {
  const log = opts.log ?? (() => {});
  const total = opts.reports ?? 10_000;
  const concurrency = opts.clients ?? 32;
  const stats = new Stats();
  const runId = Date.now().toString(36);
  const faults = opts.url ? { sdk: {}, crashConsumer: 0, seed: 0 } : installFaultsFromEnv();
  // one seed for the fault and crash draws (core/faults/inject.ts) and this run's own choices
  const seed = (opts.seed ?? faultSeed()) >>> 0;
  reseedFaults(seed);
  const rnd = seededRandom(seed ^ 0x5bd1e995);
  const injectedBefore = new Map(injectedFaults);
  const crashesBefore = { ...consumerCrashes };
  let restarts = 0;

  // ── the stack ──
  let stack: LocalStack | undefined;
  let tempDir: string | undefined;
  let target: Target;
  let password = opts.password ?? DEFAULT_PASSWORD;
  const visibility = opts.visibilityTimeoutSeconds ?? 5;
  const startEmbedded = async (port?: number) => {
    const s = await startStack({ dataDir, port, autoSchedule: false, log: (m) => log(`stack: ${m}`) });
    resetDb();
    await setVisibility(s.env, visibility);
    return s;
  };
  let dataDir = opts.dataDir;
  if (opts.url) {
    const endpointsFile = opts.endpointsFile ?? resolve(process.env.WANGGE_DATA_DIR ?? ".wangge", "endpoints.json");
    const endpoints = existsSync(endpointsFile) ? (JSON.parse(readFileSync(endpointsFile, "utf8")) as Record<string, string>) : undefined;
    if (!opts.password) {
      const file = resolve(process.env.WANGGE_DATA_DIR ?? ".wangge", "demo-password");
      password = process.env.WANGGE_DEMO_PASSWORD ?? (existsSync(file) ? readFileSync(file, "utf8").trim() : DEFAULT_PASSWORD);
    }
    target = remoteTarget(opts.url.replace(/\/+$/, ""), endpoints);
  } else {
    if (opts.restartAt !== undefined && !dataDir) dataDir = tempDir = mkdtempSync(join(tmpdir(), "wangge-load-"));
    stack = await startEmbedded();
    await seedDemoCounty({ password, now: stack.clock.now() });
    target = embeddedTarget(stack);
  }
  log(`target ${target.url}; ${total} reports, ${concurrency} clients; seed ${seed} (replay: --seed ${seed}); faults ${JSON.stringify({ sdk: faults.sdk, crashConsumer: faults.crashConsumer })}`);

  const client = new Client(target.url, password, stats);
  const acked = new Map<string, string>(); // report token → case id
  const paths = new Map<string, string[]>(); // case id → the actions acknowledged (200), in order
  const t0 = Date.now();
  let drainMs = 0;
  try {
    // what each worker reports into: their grid (by id) around its centroid
    const grids: Record<string, { unitId: string; lng: number; lat: number }> = {};
    for (const w of WORKERS) {
      const me = await client.as(w, "read", "GET", "/v1/me");
      const unitId = me.body.assignments[0].unitId as string;
      const unit = await client.as(w, "read", "GET", `/v1/units/${unitId}`);
      const [lng, lat] = unit.body.centroid ?? [118.1, 24.5];
      grids[w] = { unitId, lng, lat };
    }
    const now = await target.now();
    const months = [...new Set([countyMonth(now), countyMonth(new Date(now.getTime() + 86_400_000))])];
    const aggBefore = target.raw ? await target.raw.aggregates(months) : undefined;
    const dlqBefore = target.raw ? await target.raw.queueDepths() : undefined;

    // periodic outbox sweep, as the 1-minute schedule does in AWS
    let sweeping = true;
    const sweeper = (async () => {
      while (sweeping) {
        await sleep(5000);
        if (sweeping) await target.runJob("outbox-sweep").catch(() => undefined);
      }
    })();

    // ── the load ──
    let next = 0;
    let done = 0;
    let restarting: Promise<void> | undefined;
    const restartAfter = opts.restartAt !== undefined && stack ? Math.floor(total * opts.restartAt) : -1;
    const one = async (i: number) => {
      const worker = WORKERS[i % WORKERS.length];
      const g = grids[worker];
      const token = `lt:${runId}:${i}`;
      const key = `lt-${runId}-${i}`;
      const location = { lng: g.lng + (rnd() - 0.5) * 0.04, lat: g.lat + (rnd() - 0.5) * 0.04 };
      // one report in ten carries a photo, uploaded first through a presigned URL (S3 is checked on use)
      const attachments: Array<{ key: string }> = [];
      if (i % 10 === 3) {
        const up = await client.as(worker, "upload", "POST", "/v1/uploads", { contentType: "image/jpeg", size: 4, tag: "before" });
        if (up.status !== 201) stats.problem(`upload ${i}: ${up.status} ${JSON.stringify(up.body).slice(0, 200)}`);
        else {
          const put = await fetch(up.body.uploadUrl, { method: "PUT", headers: up.body.headers, body: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]) }).catch((e: Error) => ({ ok: false, status: e.message }));
          if (!put.ok) stats.problem(`photo PUT ${i}: ${put.status}`);
          else attachments.push({ key: up.body.key });
        }
      }
      const rep = await client.as(worker, "report", "POST", "/v1/cases", { categoryId: CATEGORIES[i % CATEGORIES.length], description: `[${token}] 负载测试 垃圾堆放`, location, unitId: g.unitId, attachments }, key);
      if (rep.status !== 201 && rep.status !== 200) {
        stats.problem(`report ${i}: ${rep.status} ${JSON.stringify(rep.body).slice(0, 200)}`);
        return;
      }
      const id = rep.body.case.id as string;
      acked.set(token, id);
      const path: string[] = [];
      paths.set(id, path);
      const read = await client.as("center", "read", "GET", `/v1/cases/${id}`);
      if (read.status !== 200) stats.problem(`read ${id}: ${read.status}`);
      const act = async (user: string, action: string, body: Record<string, unknown> = {}) => {
        const r = await client.as(user, "act", "POST", `/v1/cases/${id}/${action}`, body, `${key}-${action}`);
        if (r.status !== 200) stats.problem(`${action} ${id} by ${user}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        else path.push(action);
        return r.status === 200;
      };
      switch (i % 10) {
        case 0:
        case 1:
        case 2:
        case 3:
          await act("center", "accept");
          break;
        case 4:
        case 5:
          // the whole loop: register, a department claims, handles; the grid verifies; the reporter evaluates
          if (!(await act("center", "accept"))) break;
          if (!(await act("dept1", "claim"))) break;
          if (!(await act("dept1", "start"))) break;
          if (!(await act("dept1", "handle", { note: "已清运" }))) break;
          if (!(await act(worker, "verify", { pass: true, note: "现场已清理" }))) break;
          await act(worker, "evaluate", { level: "satisfied" });
          break;
        case 6:
          await act("center", "reject", { reason: "重复上报" });
          break;
        case 7:
          await act("center", "comment", { note: "已知悉" });
          break;
        default:
          break; // left as reported
      }
      if (i % 25 === 0) {
        const list = await client.as("center", "list", "GET", "/v1/cases?state=reported&limit=50");
        if (list.status !== 200) stats.problem(`list: ${list.status}`);
      }
    };
    const progressEvery = Math.max(1, Math.floor(total / 10));
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          if (restarting) await restarting;
          const i = next++;
          try {
            await one(i);
          } catch (e) {
            stats.problem(`report ${i}: ${(e as Error).message}`);
          }
          done++;
          if (done % progressEvery === 0) log(`${done}/${total} reports (${Math.round((done / ((Date.now() - t0) / 1000)) * 10) / 10}/s)`);
          if (done === restartAfter && stack && !restarting) {
            // stop everything mid-load (requests in flight fail), start a new stack on the same data and port, go on
            restarting = (async () => {
              log(`restart: stopping the stack after ${done} reports`);
              const port = Number(new URL(stack!.url).port);
              target.raw?.destroy();
              await setVisibility(stack!.env, undefined).catch(() => undefined);
              await stack!.stop();
              stack = await startEmbedded(port);
              target = embeddedTarget(stack);
              restarts++;
              log(`restart: stack up again on ${stack.url}`);
            })();
            restarting.finally(() => (restarting = undefined));
          }
        }
      }),
    );
    if (restarting) await restarting;
    const loadMs = Date.now() - t0;
    sweeping = false;
    await sweeper;
    log(`load done in ${Math.round(loadMs / 1000)} s; draining`);

    // ── drain: outbox swept, every queue (and dead-letter queue) empty ──
    const drainStart = Date.now();
    let outboxRows = -1;
    let queued: Record<string, number> = {};
    for (;;) {
      await target.runJob("outbox-sweep").catch((e) => log(`outbox-sweep: ${(e as Error).message}`));
      await target.idle(30_000).catch(() => undefined);
      outboxRows = target.raw ? await target.raw.outboxRows() : 0;
      queued = target.raw ? await target.raw.queueDepths() : {};
      const busy = Object.entries(queued).some(([name, n]) => n > (dlqBefore?.[name] ?? 0));
      if (outboxRows === 0 && !busy) break;
      if (Date.now() - drainStart > (opts.drainTimeoutMs ?? 300_000)) break;
      await sleep(2000);
    }
    drainMs = Date.now() - drainStart;
    if (outboxRows > 0) stats.problem(`outbox not drained: ${outboxRows} rows left`);
    for (const [name, n] of Object.entries(queued)) if (n > (dlqBefore?.[name] ?? 0)) stats.problem(`queue ${name} not drained: ${n} messages`);

    // ── reconcile, from a scan of the raw table (not the API's own lists) ──
    log("reconciling from a scan of the raw table");
    if (!target.raw || !aggBefore) throw new Error("no access to the stack's table (url mode needs the stack's endpoints.json)");
    const scanStart = Date.now();
    const items = await target.raw.scanAll();
    const scanMs = Date.now() - scanStart;
    const TOKEN = /^\[(lt:[^\]]+)\]/;
    const cases = new Map<string, Record<string, any>>(); // this run's case items by id
    const seen = new Map<string, string[]>(); // token → case ids in the table
    for (const i of items) {
      if (i._et !== "Case") continue;
      const m = TOKEN.exec(i.description ?? "");
      if (!m || !m[1].startsWith(`lt:${runId}:`)) continue;
      cases.set(i.id, i);
      seen.set(m[1], [...(seen.get(m[1]) ?? []), i.id]);
    }
    let duplicates = 0;
    let missing = 0;
    for (const [token, ids] of seen) {
      if (ids.length > 1) {
        duplicates++;
        stats.problem(`report ${token} exists ${ids.length} times: ${ids.join(", ")}`);
      }
      if (!acked.has(token)) stats.problem(`case ${ids[0]} (${token}) was created but never acknowledged`);
    }
    for (const [token, id] of acked) {
      const ids = seen.get(token);
      if (!ids) {
        missing++;
        stats.problem(`acknowledged report ${token} (case ${id}) is not in the table`);
      } else if (!ids.includes(id)) stats.problem(`report ${token} acknowledged as ${id} but stored as ${ids.join(", ")}`);
    }

    // what else the table holds for these cases: events, index rows, timers, idempotency records
    const eventsOf = new Map<string, DomainEvent[]>();
    const rowsOf = new Map<string, Map<string, number>>(); // case id → item type → count
    let idempotencyRecords = 0;
    for (const i of items) {
      if (i._et === "Idempotency" && String(i.pk).includes(`#lt-${runId}-`)) {
        idempotencyRecords++;
        if (!cases.has(i.caseId)) stats.problem(`idempotency record ${i.pk} points at ${i.caseId}, not a case of this run`);
      }
      const caseId = i._et === "CaseEvent" ? i.caseId : ["CaseByReporter", "CaseNear", "Timer"].includes(i._et) ? i.caseId : undefined;
      if (!caseId || !cases.has(caseId)) continue;
      if (i._et === "CaseEvent") eventsOf.set(caseId, [...(eventsOf.get(caseId) ?? []), i as unknown as DomainEvent]);
      else {
        const m = rowsOf.get(caseId) ?? new Map<string, number>();
        m.set(i._et, (m.get(i._et) ?? 0) + 1);
        rowsOf.set(caseId, m);
      }
    }
    let indexProblems = 0;
    const indexProblem = (p: string) => {
      indexProblems++;
      stats.problem(p);
    };
    // every acknowledged write carried an Idempotency-Key: one record each, no more
    const ackedWrites = acked.size + [...paths.values()].reduce((n, p) => n + p.length, 0);
    if (idempotencyRecords !== ackedWrites) indexProblem(`${idempotencyRecords} idempotency records for ${ackedWrites} acknowledged writes`);

    // timelines: versions 1..n, sequences 0..k within each version, and exactly the acknowledged actions
    const expected = new Map<string, number>();
    let gapped = 0;
    let events = 0;
    let actionMismatched = 0;
    for (const [id, c] of cases) {
      const timeline = (eventsOf.get(id) ?? []).sort((a, b) => a.version - b.version || a.seq - b.seq);
      events += timeline.length;
      const byVersion = new Map<number, number[]>();
      for (const e of timeline) byVersion.set(e.version, [...(byVersion.get(e.version) ?? []), e.seq]);
      const versions = [...byVersion.keys()];
      const gapless = versions.length === c.version && versions.every((v, j) => v === j + 1) && [...byVersion.values()].every((s) => s.every((x, j) => x === j));
      if (!gapless) {
        gapped++;
        stats.problem(`timeline of ${id} (version ${c.version}) is not gapless: ${versions.join(",")}`);
      }
      const applied = timeline.filter((e) => e.seq === 0).map((e) => e.action);
      const want = ["report", ...(paths.get(id) ?? [])];
      if (applied.join(",") !== want.join(",")) {
        actionMismatched++;
        stats.problem(`case ${id}: timeline holds ${applied.join(",")}, acknowledged were ${want.join(",")}`);
      }
      // the case item's index attributes, and its rows: one by-reporter row, its near rows, a timer only while open
      const idx = caseIndexKeys(c as Case, process.env.COUNTY_TZ ?? "Asia/Shanghai") as Record<string, string>;
      for (const [k, v] of Object.entries(idx)) if (c[k] !== v) indexProblem(`case ${id}: index attribute ${k} is ${c[k]}, should be ${v}`);
      const rows = rowsOf.get(id) ?? new Map();
      if (rows.get("CaseByReporter") !== 1) indexProblem(`case ${id}: ${rows.get("CaseByReporter") ?? 0} by-reporter rows`);
      // one near row in every geohash cell the case's 100 m circle may touch (core/case/repo.ts nearRows; #16), none once
      // it ended within the hint's window (unless reopened then): the rows follow its transitions (nearRowChange)
      let nearKept = false;
      for (const e of timeline) {
        const change = nearRowChange(e.from, e.to, String(c.createdAt), e.at);
        if (change) nearKept = change === "put";
      }
      const nearCells = nearKept ? nearCellsOf(c.location).length : 0;
      if ((rows.get("CaseNear") ?? 0) !== nearCells) indexProblem(`case ${id}: ${rows.get("CaseNear") ?? 0} near rows, should be ${nearCells}`);
      if (!(OPEN_STATES as readonly string[]).includes(c.state) && rows.get("Timer")) indexProblem(`case ${id} is ${c.state} but still has a timer row`);
      for (const e of timeline) {
        const month = countyMonth(e.at);
        for (const [subject, counters] of countersFor(e)) {
          for (const [name, by] of counters) {
            const key = `${month}|${subject}|${name}`;
            expected.set(key, (expected.get(key) ?? 0) + by);
          }
        }
      }
    }

    // aggregates (1): moved by exactly the recount of the stored events through countersFor
    let mismatched = 0;
    const after = await target.raw.aggregates([...months, LIVE]);
    const monthly = new Set([...after.keys(), ...aggBefore.keys(), ...expected.keys()].filter((k) => months.includes(k.split("|")[0]) && !k.endsWith(`|${OPEN_DELTA}`)));
    const delta = (key: string) => (after.get(key) ?? 0) - (aggBefore.get(key) ?? 0);
    for (const key of monthly) {
      const want = expected.get(key) ?? 0;
      if (delta(key) !== want) {
        mismatched++;
        stats.problem(`aggregate ${key}: moved by ${delta(key)}, recount says ${want}`);
      }
    }
    if ([...expected.keys()].some((key) => !months.includes(key.split("|")[0]))) stats.problem("events fell in a month outside the checked ones");

    // aggregates (2): an independent count, not through countersFor: from the case items and the
    // path each case took, what the unit counters of its grid and every ancestor must have moved by
    const independent = new Map<string, number>();
    // open now = the base (AGG#live.open) + the openDelta of the months not folded (core/aggregate/fold.ts openNow);
    // the run's months are never folded during it (the fold takes months ≤ now − 2), so the movement is the sum of both
    const moved = (key: string) => {
      const [period, subject] = key.split("|");
      return period === LIVE ? delta(key) + months.reduce((n, m) => n + delta(`${m}|${subject}|${OPEN_DELTA}`), 0) : delta(key);
    };
    const add = (key: string, by = 1) => independent.set(key, (independent.get(key) ?? 0) + by);
    const monthsOfRun = new Set([...cases.values()].flatMap((c) => [countyMonth(c.createdAt), countyMonth(c.updatedAt)]));
    let skipped: string | undefined;
    if (monthsOfRun.size === 1) {
      const [month] = monthsOfRun;
      for (const [id, c] of cases) {
        const path = paths.get(id) ?? [];
        for (const unit of String(c.unitPath).split("/").filter(Boolean)) {
          const u = `unit#${unit}`;
          add(`${month}|${u}|reports`);
          if (path.includes("accept")) add(`${month}|${u}|registered`);
          if (path.includes("reject")) add(`${month}|${u}|invalid`);
          if (path.includes("handle")) add(`${month}|${u}|handled`);
          if (path.includes("verify")) add(`${month}|${u}|verified`);
          if (path.includes("evaluate")) add(`${month}|${u}|eval_satisfied`);
          if (c.state === "closed") add(`${month}|${u}|closed`);
          if ((OPEN_STATES as readonly string[]).includes(c.state)) add(`${LIVE}|${u}|open`);
        }
        if (path.includes("claim")) add(`${month}|department#${c.handler?.id ?? c.owner?.id}|claims`);
      }
      // the live count of a unit is not only this run's (seeded cases, other runs): compare the movement
      for (const [key, want] of independent) {
        if (moved(key) !== want) stats.problem(`aggregate ${key}: moved by ${moved(key)}, the cases' paths say ${want}`);
      }
    } else skipped = `the run spans county months ${[...monthsOfRun].join(", ")}: the independent count is per month`;
    const independentMismatched = [...independent].filter(([key, want]) => moved(key) !== want).length;
    const ids = [...cases.keys()];

    const latency = [...stats.times.entries()].map(([op, t]) => {
      const s = [...t].sort((a, b) => a - b);
      return { op, attempts: s.length, p50_ms: Math.round(quantile(s, 0.5) * 10) / 10, p99_ms: Math.round(quantile(s, 0.99) * 10) / 10, max_ms: Math.round(s[s.length - 1] ?? 0) };
    });
    const loadRequests = [...stats.times.entries()].filter(([op]) => op !== "reconcile").reduce((n, [, t]) => n + t.length, 0);
    const fiveXX = [...stats.statuses.entries()].filter(([s]) => /^5\d\d/.test(s) && !s.startsWith("503 unavailable"));
    for (const [s, n] of fiveXX) stats.problem(`${n} answers ${s}`);
    const report: LoadReport = {
      ok: stats.problems.length === 0,
      problems: stats.problems,
      reports: { requested: total, acknowledged: acked.size, inTable: seen.size, duplicates, missing },
      timelines: { checked: ids.length, gapped, events },
      actions: { acknowledged: [...paths.values()].reduce((n, p) => n + p.length, 0), casesChecked: ids.length, mismatched: actionMismatched },
      raw: { items: items.length, scanMs, indexProblems, idempotencyRecords },
      aggregates: { counters: expected.size, mismatched, independent: independent.size, independentMismatched, skipped },
      seed,
      drain: { outboxRows, queued, ms: drainMs },
      durationMs: loadMs,
      throughput: { reportsPerSecond: Math.round((acked.size / (loadMs / 1000)) * 10) / 10, requestsPerSecond: Math.round((loadRequests / (loadMs / 1000)) * 10) / 10 },
      latency,
      statuses: Object.fromEntries([...stats.statuses.entries()].sort()),
      faults: opts.url ? {} : faultsOfRun(injectedBefore, crashesBefore),
      restarts,
    };
    if (acked.size !== total) report.problems.push(`${total - acked.size} reports were never acknowledged`);
    // a fault asked for must really have happened, or the run proved nothing about it
    if (!opts.url) {
      for (const [kind, rate] of Object.entries(faults.sdk)) if ((rate ?? 0) > 0 && !report.faults[kind]) report.problems.push(`${kind} faults asked for (rate ${rate}) but none was injected`);
      if (faults.crashConsumer > 0 && !report.faults.consumerCrashes) report.problems.push(`consumer crashes asked for (rate ${faults.crashConsumer}) but none happened in ${report.faults.consumerInvocations} invocations`);
    }
    report.ok = report.problems.length === 0;
    return report;
  } finally {
    target.raw?.destroy();
    await stack?.stop();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

/** The faults injected during this run, by kind (`dynamodb`, `dynamodb-lost`, ...), and the consumer crashes. */
function faultsOfRun(before: Map<string, number>, crashesBefore: { invocations: number; crashed: number }): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of injectedFaults) {
    const kind = k.split(":")[0];
    out[kind] = (out[kind] ?? 0) + v - (before.get(k) ?? 0);
  }
  out.consumerCrashes = consumerCrashes.crashed - crashesBefore.crashed;
  out.consumerInvocations = consumerCrashes.invocations - crashesBefore.invocations;
  return out;
}

/** The summary table printed by `npm run loadtest`. */
export function formatReport(r: LoadReport): string {
  const lines: string[] = [];
  const row = (cells: Array<string | number>, widths: number[]) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
  lines.push(`reports: ${r.reports.acknowledged}/${r.reports.requested} acknowledged, ${r.reports.inTable} in the table, ${r.reports.duplicates} duplicated, ${r.reports.missing} missing`);
  lines.push(`load: ${(r.durationMs / 1000).toFixed(1)} s, ${r.throughput.reportsPerSecond} reports/s, ${r.throughput.requestsPerSecond} requests/s${r.restarts ? `, ${r.restarts} restart(s)` : ""}`);
  lines.push(`seed: ${r.seed} (replay the fault draws with --seed ${r.seed})`);
  lines.push(`raw table: ${r.raw.items} items scanned in ${(r.raw.scanMs / 1000).toFixed(1)} s, ${r.raw.idempotencyRecords} idempotency records, ${r.raw.indexProblems} index problems`);
  lines.push(`timelines: ${r.timelines.checked} checked (${r.timelines.events} events), ${r.timelines.gapped} with gaps`);
  lines.push(`actions: ${r.actions.acknowledged} acknowledged, each exactly once in its timeline: ${r.actions.mismatched} cases differ`);
  lines.push(
    `aggregates: ${r.aggregates.counters} counters recounted from the events, ${r.aggregates.mismatched} mismatched; ${r.aggregates.skipped ? `independent count skipped (${r.aggregates.skipped})` : `${r.aggregates.independent} counted independently from the cases' paths, ${r.aggregates.independentMismatched} mismatched`}`,
  );
  lines.push(`drain: ${r.drain.outboxRows} outbox rows, queues ${JSON.stringify(r.drain.queued)} after ${(r.drain.ms / 1000).toFixed(1)} s`);
  if (Object.keys(r.faults).length) lines.push(`faults injected: ${JSON.stringify(r.faults)}`);
  lines.push("");
  const w = [10, 9, 9, 9, 9];
  lines.push(row(["op", "attempts", "p50 ms", "p99 ms", "max ms"], w));
  for (const l of r.latency) lines.push(row([l.op, l.attempts, l.p50_ms, l.p99_ms, l.max_ms], w));
  lines.push("");
  lines.push(row(["answers by status", "count"], [28, 9]));
  for (const [s, n] of Object.entries(r.statuses)) lines.push(row([s, n], [28, 9]));
  lines.push("");
  lines.push(r.ok ? "RECONCILED: every check passed" : `FAILED: ${r.problems.length} problem(s)\n  ${r.problems.slice(0, 40).join("\n  ")}`);
  return lines.join("\n");
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  if (arg("faults")) process.env.WANGGE_FAULTS = arg("faults");
  if (arg("crash-consumer")) process.env.WANGGE_FAULTS_CRASH_CONSUMER = arg("crash-consumer");
  if (arg("seed")) process.env.WANGGE_FAULTS_SEED = arg("seed");
  const opts: LoadOptions = {
    url: arg("url"),
    reports: arg("reports") ? Number(arg("reports")) : undefined,
    clients: arg("clients") ? Number(arg("clients")) : undefined,
    restartAt: arg("restart-at") ? Number(arg("restart-at")) : undefined,
    dataDir: arg("data-dir"),
    password: arg("password"),
    endpointsFile: arg("endpoints"),
    log: (m) => console.log(`[loadtest] ${m}`),
  };
  const report = await runLoad(opts);
  console.log(`\n${formatReport(report)}`);
  const out = arg("json");
  if (out) writeFileSync(out, JSON.stringify(report, null, 2));
  process.exit(report.ok ? 0 : 1);
}
