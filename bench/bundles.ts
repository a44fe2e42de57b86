import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeAreaEntries } from "../functions/area-entries.ts";
import { areas } from "../functions/areas.ts";
import { queueEnvName, queues } from "../functions/queues.ts";
import { routeKey, type Route } from "../functions/routes.ts";
import { schedules } from "../functions/schedules.ts";
import { seedDemoCounty } from "../local/demo-county.ts";
import { startStack } from "../local/stack.ts";
import { apiEvent, bundle, coldInit, COLD_NODE_ARGS, SDK_HTTP_BY_REQUIRE, type BundleSize, type ColdSample } from "./cold.ts";
import { progress, quantile, round, type BenchResult, type Row } from "./harness.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
/**
 * BENCH_BUNDLES_ONLY: a comma-separated list of function names as the table writes them (`area excel`,
 * `consumer appraisal`, `schedule retention`, `area cases (static imports)`): only those are bundled
 * and measured, beside the floor; the queue messages are made only for the consumers named. Unset:
 * every deployed function.
 */
const ONLY = process.env.BENCH_BUNDLES_ONLY ? new Set(process.env.BENCH_BUNDLES_ONLY.split(",").map((s) => s.trim()).filter(Boolean)) : undefined;
export const selected = (fn: string): boolean => !ONLY || ONLY.has(fn);
/**
 * BENCH_BUNDLES_BEFORE: the root of another checkout of the project (e.g. a worktree at the commit
 * before a change, with node_modules linked): each function measured is also bundled from there, as
 * `<function> (before)`, and the two are measured in turns — run i: floor, one side, floor, the other
 * side (which side first alternates), so both sides see the same machine load. A consumer's twin gets
 * messages of its own. Unset: this checkout only.
 */
const BEFORE = process.env.BENCH_BUNDLES_BEFORE;
const PASSWORD = "bench-password-123";
export const SIZE_TARGET_KB = 400;
export const INIT_TARGET_X_FLOOR = 2;

/** The route each area function serves first in the measurement (a read the county admin may do). */
export const FIRST_ROUTE: Record<string, string> = {
  auth: "GET /v1/me",
  cases: "GET /v1/cases",
  config: "GET /v1/units",
  registry: "GET /v1/registry/households",
  appraisals: "GET /v1/appraisals",
  partner: "GET /open311/v2/services.json",
  ops: "GET /v1/audit",
  names: "POST /v1/names",
  // as the former `sms` area measured it (its only route then); a refused body (400), since one phone's code
  // requests are rate-limited and every run would send the same one
  residents: "POST /v1/residents/code",
};

/**
 * Who asks, and with what, so that the first request is one the route serves (2xx), not a 400 or
 * 403 that returns before the route's reads: the registry is read by community staff (the county
 * admin has no registry permission), the appraisal list needs a period, names needs ids.
 */
export function firstRequest(area: string, ctx: { period: string; adminUnitId: string }): { user?: string; query?: Record<string, string>; body?: unknown } {
  switch (area) {
    case "registry":
      return { user: "community1" };
    case "appraisals":
      return { query: { period: ctx.period } };
    case "names":
      return { body: { units: [ctx.adminUnitId], users: [], departments: [] } };
    default:
      return {};
  }
}

export function firstRoute(area: string, list: readonly Route[]): Route {
  return list.find((r) => routeKey(r) === FIRST_ROUTE[area]) ?? list.find((r) => r.method === "GET" && !r.path.includes("{")) ?? list[0];
}

export interface FunctionMeasure extends ColdSample, Omit<BundleSize, "file" | "initialInputs"> {
  /** cold init / the floor's, median of the paired runs */
  xFloor: number;
  fn: string;
  kind: string;
  route?: string;
  /** why a cold run did not do its message's work (bad status, or the consumer's check failed): the row shows this, not a time */
  failed?: string;
  /**
   * The second request of the same kind served in each cold process, right after the first (see bundlesBench):
   * `warmMs` its time, `penaltyMs` cold init − warm (what being cold added to that request: the import
   * and the first request's extra over a warm one), `penaltyXFloor` that over the paired floor run's
   * cold init. Medians of the per-run values; absent when the function gets no second request.
   */
  warmMs?: number;
  penaltyMs?: number;
  penaltyXFloor?: number;
  /** why a second request was not one like the first (another status, or its message's work not done): no warm time */
  warmFailed?: string;
}

/** After a consumer's cold run on `event`: why the work was not done, or undefined when it was (the job finished, the partner got the delivery). */
export type Verify = (event: unknown) => Promise<string | undefined>;

/** Staff accounts in each workbook of the jobs consumer's messages (new ones: each gets an activation code). */
const STAFF_PER_WORKBOOK = 3;

/**
 * Real messages for the consumers' cold runs, `count` per queue so that each fresh process of a
 * consumer gets messages of its own: two, the first request's and the warm one's (bundlesBench); a
 * redelivered one would mostly take the idempotent path. The product's own actions put them there
 * on the embedded stack (no poller runs: `async: false`); they are received once (and left in the
 * queue) and handed to the consumer as one-record SQS events, as Lambda's event source mapping would. A consumer measured on
 * `{ Records: [] }` would only import.
 * events: cases reported by a grid worker (their domain events, published by the request or the
 * outbox sweep); timeouts: those cases' first deadlines, sent by the timer sweep with the clock
 * moved past them (and back); appraisal: the batches of a monthly run; exports: exports requested by
 * a department's staff and approved by the dispatcher; webhooks: deliveries to a partner subscribed
 * to `accepted` (its endpoint `receiver`, on 127.0.0.1: http to loopback is what the local stage
 * allows, core/webhook/url.ts), made by the events consumer (run here, as the poller would) from
 * grid workers' reports the center accepted — `accepted`, not `reported`, so that the events
 * consumer's own messages (reports) match no subscription and its row measures what it did before;
 * jobs: staff Excel imports (the users template downloaded and filled with new accounts, uploaded
 * through the import route). Made last, so that the other queues' messages are as before.
 * A queue with `verify` is checked after each cold run (the consumer did the work, not only answered).
 */
export async function realQueueEvents(stack: Awaited<ReturnType<typeof startStack>>, login: (u: string) => Promise<string>, count: number, wanted: (queue: string) => boolean = () => true, receiver?: WebhookReceiver): Promise<Record<string, { events: unknown[]; what: string; verify?: Verify }>> {
  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const r = await fetch(stack.url + path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await r.json()) as any;
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  const { SQSClient, ReceiveMessageCommand, GetQueueAttributesCommand } = await import("@aws-sdk/client-sqs");
  const sqs = new SQSClient({ region: stack.env.AWS_REGION, endpoint: stack.env.AWS_ENDPOINT_URL_SQS, credentials: { accessKeyId: stack.env.AWS_ACCESS_KEY_ID, secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY } });
  // up to `want` distinct messages (hidden for an hour once received, so the next receive gets others);
  // `keep`: only messages whose body it takes (the others stay hidden, unused)
  const receive = async (name: string, want = count, keep: (body: any) => boolean = () => true) => {
    const url = stack.env[queueEnvName(name)];
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn ?? name;
    const events: Array<{ Records: Array<Record<string, unknown>> }> = [];
    for (let tries = 0; events.length < want && tries < want + 2; tries++) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: Math.min(10, want - events.length), VisibilityTimeout: 3600, WaitTimeSeconds: 1, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"] }));
      if (!out.Messages?.length) break;
      const now = String(Date.now());
      for (const m of out.Messages) {
        if (!keep(JSON.parse(m.Body ?? "null"))) continue;
        events.push({
          Records: [{
            messageId: m.MessageId, receiptHandle: m.ReceiptHandle, body: m.Body ?? "",
            attributes: { ApproximateReceiveCount: "1", SentTimestamp: m.Attributes?.SentTimestamp ?? now, SenderId: "bench", ApproximateFirstReceiveTimestamp: now },
            messageAttributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, { stringValue: v.StringValue, dataType: v.DataType, stringListValues: [], binaryListValues: [] }])),
            md5OfBody: m.MD5OfBody ?? "", eventSource: "aws:sqs", eventSourceARN: arn, awsRegion: stack.env.AWS_REGION,
          }],
        });
      }
    }
    return events;
  };
  const out: Record<string, { events: unknown[]; what: string; verify?: Verify }> = {};
  // `act` makes the messages; it may return which of them to take (`keep`) and the check after each cold run
  const step = async (name: string, what: string, act: () => Promise<void | { keep?: (body: any) => boolean; verify?: Verify }>) => {
    if (!wanted(name)) return;
    try {
      const made = await act();
      const events = await receive(name, count, made?.keep);
      if (events.length) out[name] = { events, what, verify: made?.verify };
      else console.error(`bundles: no ${name} message after: ${what}`);
    } catch (e) {
      console.error(`bundles: ${name} messages not made (${what}): ${(e as Error).message}`);
    }
  };
  const worker = await login("worker1");
  const admin = await login("admin");
  const center = await login("center");
  await step("events", "a reported case's domain event", async () => {
    const me = await api("GET", "/v1/me", worker);
    const grid = await api("GET", `/v1/units/${me.assignments[0].unitId}`, worker);
    const [lng, lat] = grid.centroid;
    for (let i = 0; i < count; i++) await api("POST", "/v1/cases", worker, { categoryId: "cat-env-garbage", description: `bench: bundles consumer message ${i}`, location: { lng: lng + i * 1e-5, lat } });
    await (await import("../functions/jobs/outbox-sweep.ts")).handler(); // what the requests left unpublished, if anything
  });
  await step("timeouts", "a reported case's first deadline, due (timer sweep with the clock 30 days on, then back; sent to the queue as in a minute with more than the sweep applies itself)", async () => {
    // The sweep applies up to WANGGE_TIMER_APPLY_HERE_MAX due timers itself (core/timer/sweep.ts) and
    // queues the rest: 0 here makes it queue them all, as a busy minute does, so the consumer gets real messages
    const applyHere = process.env.WANGGE_TIMER_APPLY_HERE_MAX;
    process.env.WANGGE_TIMER_APPLY_HERE_MAX = "0";
    stack.clock.advance(30 * 86_400_000);
    try {
      await (await import("../functions/jobs/timer-sweep.ts")).handler();
    } finally {
      stack.clock.advance(-30 * 86_400_000);
      if (applyHere === undefined) delete process.env.WANGGE_TIMER_APPLY_HERE_MAX;
      else process.env.WANGGE_TIMER_APPLY_HERE_MAX = applyHere;
    }
  });
  await step("appraisal", "a batch of last month's appraisal run", async () => {
    const d = stack.clock.now();
    const prev = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    await api("POST", "/v1/appraisals/run", admin, { period: prev });
  });
  await step("exports", "an export requested by a department's staff, approved by the dispatcher", async () => {
    const dept = await login("dept1");
    const me = await api("GET", "/v1/me", dept);
    for (let i = 0; i < count; i++) {
      const e = await api("POST", "/v1/exports", dept, { dataset: "households", unitId: me.assignments[0].unitId, fields: ["id", "unitCode", "unitName"], purpose: `bench: bundles consumer message ${i}` });
      await api("POST", `/v1/exports/${(e.export ?? e).id}/approve`, center, {});
    }
  });
  const bodyOf = (event: unknown): any => JSON.parse((event as { Records: Array<{ body: string }> }).Records[0].body);
  await step("webhooks", "a partner's webhook delivery (subscribed to `accepted`, endpoint on 127.0.0.1 answering 200): a grid worker's report accepted by the center, fanned out by the events consumer", async () => {
    if (!receiver) throw new Error("no webhook receiver");
    const sub = await api("POST", "/v1/webhooks", admin, { name: "bench partner", url: receiver.url, eventTypes: ["accepted"] });
    receiver.secret = sub.secret;
    const me = await api("GET", "/v1/me", worker);
    const grid = await api("GET", `/v1/units/${me.assignments[0].unitId}`, worker);
    const [lng, lat] = grid.centroid;
    const caseIds = new Set<string>();
    for (let i = 0; i < count; i++) {
      const c = await api("POST", "/v1/cases", worker, { categoryId: "cat-env-garbage", description: `bench: bundles webhook delivery ${i}`, location: { lng: lng - i * 1e-5, lat } });
      const id = (c.case ?? c).id as string;
      caseIds.add(id);
      await api("POST", `/v1/cases/${id}/accept`, center, {});
    }
    await (await import("../functions/jobs/outbox-sweep.ts")).handler();
    // the events consumer on these cases' domain events (one batch, as Lambda's event source mapping hands them over):
    // one delivery record and one webhooks message per accepted case
    const events = await receive("events", 10 * count, (e) => caseIds.has(e?.caseId));
    const { handler } = await import("../functions/events/consume.ts");
    const res = await handler({ Records: events.flatMap((e) => e.Records) } as any);
    if (res.batchItemFailures.length) throw new Error(`the events consumer failed ${res.batchItemFailures.length} of ${events.length} events`);
    return {
      verify: async (event) => {
        const { deliveryId } = bodyOf(event);
        const got = receiver.received.get(deliveryId);
        if (!got) return `the partner's endpoint got no POST of delivery ${deliveryId}`;
        if (!got.signed) return `delivery ${deliveryId}: its signature did not verify with the subscription's secret`;
        const page = await api("GET", `/v1/webhooks/${sub.id}/deliveries?limit=100`, await login("admin"));
        const d = (page.items as Array<{ id: string; status: string; lastError?: string; lastAttempt?: { statusCode?: number; error?: string } }>).find((x) => x.id === deliveryId);
        if (d?.status === "succeeded") return undefined;
        const why = d?.lastError ?? d?.lastAttempt?.error ?? (d?.lastAttempt?.statusCode ? `HTTP ${d.lastAttempt.statusCode}` : "");
        return `delivery ${deliveryId} is ${d ? `${d.status}${why ? ` (${why})` : ""}` : "not found"}`;
      },
    };
  });
  await step("jobs", `a staff Excel import (the users template filled with ${STAFF_PER_WORKBOOK} new accounts, activation codes issued)`, async () => {
    const template = Buffer.from(await (await fetch(`${stack.url}/v1/users/template.xlsx`, { headers: { authorization: `Bearer ${admin}` } })).arrayBuffer());
    const { default: ExcelJS } = await import("exceljs");
    const me = await api("GET", "/v1/me", worker);
    const grid = await api("GET", `/v1/units/${me.assignments[0].unitId}`, worker);
    const community = await api("GET", `/v1/units/${grid.parentId}`, worker);
    const jobIds = new Set<string>();
    for (let i = 0; i < count; i++) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(template as any);
      const ws = wb.worksheets[0];
      // row 2 holds the column keys, row 3 the example (skipped by the import); the clerk's rows go below
      const keys = (ws.getRow(2).values as unknown[]).slice(1).map(String);
      const rows = [
        { username: `bench.j${i}.worker`, displayName: `基准网格员${i}`, role: "网格员", unitCode: grid.code, active: "启用" },
        { username: `bench.j${i}.leader`, displayName: `基准网格长${i}`, role: "网格长", unitCode: grid.code, active: "启用" },
        { username: `bench.j${i}.community`, displayName: `基准社区工作人员${i}`, role: "社区/村工作人员", unitCode: community.code, active: "启用" },
      ].slice(0, STAFF_PER_WORKBOOK);
      for (const r of rows) ws.addRow(keys.map((k) => (r as Record<string, string>)[k] ?? ""));
      const content = Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
      jobIds.add((await api("POST", "/v1/users/import.xlsx", admin, { fileName: `人员-${i}.xlsx`, content })).jobId);
    }
    return {
      keep: (m) => jobIds.has(m?.jobId),
      verify: async (event) => {
        const { jobId } = bodyOf(event);
        const j = await api("GET", `/v1/jobs/${jobId}`, await login("admin"));
        if (j.status === "succeeded" && !j.errorCount && j.result?.created === STAFF_PER_WORKBOOK && j.result?.activationCodes === STAFF_PER_WORKBOOK) return undefined;
        return `job ${jobId} is ${j.status}: ${JSON.stringify(j.result)}, ${j.errorCount} errors ${JSON.stringify(j.errors).slice(0, 200)}`;
      },
    };
  });
  return out;
}

/** Starts the embedded stack with the demo county and returns its env and an admin token. */
export async function benchStack() {
  const stack = await startStack({ async: false });
  await seedDemoCounty({ password: PASSWORD, now: stack.clock.now() });
  const res = await fetch(`${stack.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: PASSWORD }) });
  const token = ((await res.json()) as { accessToken: string }).accessToken;
  const login = async (username: string) =>
    ((await (await fetch(`${stack.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password: PASSWORD }) })).json()) as { accessToken: string }).accessToken;
  return { stack, token, login };
}

/**
 * Every deployed function (area functions, queue consumers, schedules): minified bundle size and
 * cold init = import + first request served against the embedded stack, in a fresh Node process,
 * median of RUNS processes; next to the floor (an empty handler with a DynamoDB document client
 * doing one GetItem). Area functions are measured as deployed (lazy per-route imports) and with
 * static imports of all their routes, to decide between the two. Also sums the artifacts of the
 * old layout (one function per route) for docs/deploy.md.
 * Each fresh process then serves a second request of the same kind (area functions and the floor:
 * the same event again, every first route being a read or a refused body; consumers: a second
 * message of their own, its work checked like the first's; schedules: none) and reports its time,
 * `warm_ms`, beside `cold_minus_warm_ms` (cold init − warm: what being cold added to that request)
 * and `penalty_x_floor` (that over the paired floor run's cold init). A job's own work (the jobs
 * consumer's staff import: ~20 round trips) weighs on cold init as on a warm request; the penalty
 * leaves it out. init_x_floor and its verdict stay import + first request.
 */
export async function bundlesBench(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "wangge-bundles-"));
  const { stack, token, login } = await benchStack();
  let receiver: WebhookReceiver | undefined;
  try {
    writeAreaEntries();
    const staticDir = join(dir, "static");
    writeAreaEntries({ mode: "static", outDir: staticDir });
    const byArea = areas();
    const floorEntry = join(root, "bench/floor.ts");

    // `events`: two per paired run (the consumers' messages: the cold one, then the warm one), else `event`
    // for every run, and `second` (if any) served after it in the same process
    type Target = { fn: string; kind: string; entry: string; event: unknown; second?: unknown; events?: unknown[]; route?: string; verify?: Verify };
    const targets: Target[] = [{ fn: "(floor: document client + GetItem)", kind: "floor", entry: floorEntry, event: {}, second: {} }];
    const adminUnitId = ((await (await fetch(`${stack.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { assignments: Array<{ unitId: string }> }).assignments[0].unitId;
    const d = stack.clock.now();
    const period = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    for (const [area, list] of byArea) {
      const r = firstRoute(area, list);
      const ask = firstRequest(area, { period, adminUnitId });
      const event = apiEvent(r.method, r.path.replace(/\{[^}]+\}/g, "x"), routeKey(r), { token: ask.user ? await login(ask.user) : token, query: ask.query, body: ask.body ?? (r.method === "GET" ? undefined : {}) });
      // the second request: the same event again (every FIRST_ROUTE is a read, or the residents' refused body)
      targets.push({ fn: `area ${area}`, kind: "area (lazy, deployed)", entry: join(root, `functions/_areas/${area}.ts`), event, second: event, route: routeKey(r) });
      targets.push({ fn: `area ${area} (static imports)`, kind: "area (static)", entry: join(staticDir, `${area}.ts`), event, second: event, route: routeKey(r) });
    }
    // consumers get a real message of their own in each run where the product's actions make one (realQueueEvents)
    // (the webhooks consumer's partner: an endpoint on 127.0.0.1 in this process, up until the cold runs are over)
    if (selected("consumer webhooks")) receiver = await startWebhookReceiver();
    // two messages per fresh process: the cold one and the warm one (bundlesBench)
    const messages = await realQueueEvents(stack, login, 2 * (BEFORE ? 2 * RUNS : RUNS), (q) => selected(`consumer ${q}`), receiver);
    for (const q of queues) {
      const m = messages[q.name];
      targets.push({ fn: `consumer ${q.name}`, kind: "consumer", entry: join(root, q.consumer.replace(/\.[^.]+$/, ".ts")), event: { Records: [] }, second: { Records: [] }, events: m?.events, route: m ? `one message a run (then a second one, warm): ${m.what}` : "empty batch (no message made; warm: a second empty batch)", verify: m?.verify });
    }
    for (const s of schedules) targets.push({ fn: `schedule ${s.name}`, kind: "schedule", entry: join(root, s.handler.replace(/\.[^.]+$/, ".ts")), event: { "detail-type": "Scheduled Event", source: "aws.events", time: new Date().toISOString(), detail: {} } });
    // BENCH_BUNDLES_ONLY: the floor and the functions named
    targets.splice(1, targets.length, ...targets.slice(1).filter((t) => selected(t.fn)));
    // BENCH_BUNDLES_BEFORE: each one's twin from the other checkout (its area entries written there by its own code)
    const twinOf = new Map<Target, Target>();
    if (BEFORE) {
      await (await import(join(BEFORE, "functions/area-entries.ts"))).writeAreaEntries();
      for (const t of targets.slice(1).filter((x) => x.entry.startsWith(root))) {
        // a consumer's messages dealt out by pairs (a run's cold and warm one), alternating between the sides,
        // so that neither side gets only the earlier- or only the later-made ones
        const split = Boolean(t.events && t.events.length >= 4);
        const pairs = (side: number) => t.events!.filter((_, k) => Math.floor(k / 2) % 2 === side);
        const twin: Target = { ...t, fn: `${t.fn} (before)`, entry: join(BEFORE, t.entry.slice(root.length)), events: split ? pairs(1) : t.events };
        if (split) t.events = pairs(0);
        twinOf.set(t, twin);
      }
    }

    // Paired with the floor: each fresh process of a function runs right after a fresh process of
    // the floor, and its ratio is taken against that floor run (median of the RUNS ratios), so a
    // shared machine's load, which drifts over minutes, weighs on both sides of each ratio alike.
    const tick = progress("bundling + cold init (paired with the floor)", targets.length);
    const measured: FunctionMeasure[] = [];
    const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
    let floorFile = "";
    const floorTotals: number[] = [];
    const floorWarm: Array<{ warmMs: number; penaltyMs: number; ratio: number }> = [];
    // consumers with fewer messages than their runs need (2 a run)
    const unpaired: string[] = [];
    for (const t of targets) {
      const out = join(dir, `${measured.length}.mjs`);
      const { file, initialInputs: _inputs, ...size } = await bundle(t.entry, out);
      if (t.kind === "floor") {
        floorFile = file;
        const cold = await coldInit(file, t.event, stack.env, RUNS, { second: t.second });
        floorTotals.push(cold.totalMs);
        measured.push({ fn: t.fn, kind: t.kind, route: t.route, ...size, ...cold, xFloor: 1 });
      } else {
        const twin = twinOf.get(t);
        const sides = [{ t, file, size, ratios: [] as number[], samples: [] as ColdSample[], failures: [] as string[], penalties: [] as number[], penaltyRatios: [] as number[], warmFailures: [] as string[] }];
        if (twin) {
          const { file: twinFile, initialInputs: _twinInputs, ...twinSize } = await bundle(twin.entry, join(dir, `${measured.length}-before.mjs`));
          sides.push({ t: twin, file: twinFile, size: twinSize, ratios: [], samples: [], failures: [], penalties: [], penaltyRatios: [], warmFailures: [] });
        }
        for (let i = 0; i < RUNS; i++) {
          for (const side of i % 2 ? [...sides].reverse() : sides) {
            const f = await coldInit(floorFile, targets[0].event, stack.env, 1, { second: targets[0].second });
            // messages: run i takes the (2i)th (cold) and the (2i+1)th (warm); with a single message there is no warm one
            const msgs = side.t.events;
            const event = msgs?.length ? msgs[(2 * i) % msgs.length] : side.t.event;
            const second = msgs?.length ? (msgs.length > 1 ? msgs[(2 * i + 1) % msgs.length] : undefined) : side.t.second;
            const c = await coldInit(side.file, event, stack.env, 1, { second });
            // a consumer checked after its run (verify): a run that answered without doing its message's work is no time
            const checked = Boolean(side.t.verify && msgs?.length);
            const check = async (status: number | string | undefined, e: unknown) => [status === "batch" ? "" : `status ${status}`, (await side.t.verify!(e)) ?? ""].filter(Boolean).join("; ");
            const problem = checked ? await check(c.status, event) : undefined;
            if (problem) {
              console.error(`bundles: ${side.t.fn} run ${i + 1}: its message's work was not done: ${problem}`);
              side.failures.push(`run ${i + 1}: ${problem}`);
            }
            // the second request: its message's work checked likewise, and any function's second status must be its first's
            if (second !== undefined) {
              const warmProblem = checked ? await check(c.warmStatus, second) : c.warmStatus !== c.status ? `status ${c.warmStatus} (the first: ${c.status})` : "";
              if (warmProblem) {
                console.error(`bundles: ${side.t.fn} run ${i + 1}: the second (warm) request was not like the first: ${warmProblem}`);
                side.warmFailures.push(`run ${i + 1}: ${warmProblem}`);
              }
            }
            floorTotals.push(f.totalMs);
            if (f.warmMs !== undefined) floorWarm.push({ warmMs: f.warmMs, penaltyMs: f.totalMs - f.warmMs, ratio: (f.totalMs - f.warmMs) / f.totalMs });
            side.samples.push(c);
            side.ratios.push(c.totalMs / f.totalMs);
            if (c.warmMs !== undefined) {
              side.penalties.push(c.totalMs - c.warmMs);
              side.penaltyRatios.push((c.totalMs - c.warmMs) / f.totalMs);
            }
          }
        }
        for (const side of sides) {
          const cold: ColdSample = {
            importMs: median(side.samples.map((x) => x.importMs)),
            firstMs: median(side.samples.map((x) => x.firstMs)),
            totalMs: median(side.samples.map((x) => x.totalMs)),
            status: side.samples[side.samples.length - 1].status,
          };
          const failed = side.failures.length ? `FAILED ${side.failures.length} of ${side.samples.length} runs: ${side.failures[0]}` : undefined;
          const warmFailed = side.warmFailures.length ? `FAILED ${side.warmFailures.length} of ${side.samples.length} runs: ${side.warmFailures[0]}` : undefined;
          const warm = side.penalties.length === side.samples.length && !warmFailed ? { warmMs: median(side.samples.map((x) => x.warmMs!)), penaltyMs: median(side.penalties), penaltyXFloor: median(side.penaltyRatios) } : {};
          if (side.t.events?.length && side.t.events.length < 2 * RUNS) unpaired.push(`${side.t.fn}: ${side.t.events.length} message(s) for ${RUNS} runs of 2: some were served again (a message served again mostly takes the idempotent path)${side.t.events.length < 2 ? "; no second (warm) request" : ""}`);
          measured.push({ fn: side.t.fn, kind: side.t.kind, route: side.t.route, ...side.size, ...cold, xFloor: failed ? NaN : median(side.ratios), failed, ...warm, warmFailed });
        }
      }
      tick(measured.length);
    }
    // the floor row: every floor process of the run (its own warm request and penalty: the paired processes')
    measured[0].totalMs = median(floorTotals);
    if (floorWarm.length) {
      measured[0].warmMs = median(floorWarm.map((x) => x.warmMs));
      measured[0].penaltyMs = median(floorWarm.map((x) => x.penaltyMs));
      measured[0].penaltyXFloor = median(floorWarm.map((x) => x.ratio));
    }

    // the old layout: one function per route (size only; county-day measures their cold init)
    // BENCH_BUNDLES_OLD=0 skips it (minutes of bundling; the numbers are in docs/deploy.md)
    const handlers = process.env.BENCH_BUNDLES_OLD === "0" ? [] : [...new Set([...byArea.values()].flat().map((r) => r.handler))];
    const tickOld = progress("old layout: bundling one function per route", handlers.length);
    let oldBytes = 0;
    let oldGzip = 0;
    let oldMax = 0;
    for (const [i, h] of handlers.entries()) {
      // the old layout as it was deployed: one file per function, no splitting
      const s = await bundle(join(root, h.replace(/\.[^.]+$/, ".ts")), join(dir, `old-${i}.mjs`), { splitting: false });
      oldBytes += s.bytes;
      oldGzip += s.gzip;
      oldMax = Math.max(oldMax, s.bytes);
      tickOld(i + 1);
    }
    const oldCount = [...byArea.values()].flat().length + queues.length + schedules.length;
    const oldWorkers = measured.filter((m) => m.kind === "consumer" || m.kind === "schedule");

    const floor = measured[0];
    const rows: Row[] = measured.map((m) => ({
      function: m.fn,
      first_request: m.route ?? "",
      status: [m.failed ?? String(m.status), m.warmFailed ? `second request ${m.warmFailed}` : ""].filter(Boolean).join("; "),
      kb: round(m.bytes / 1024, 1),
      gzip_kb: round(m.gzip / 1024, 1),
      chunks: m.chunks,
      initial_kb: round(m.initial / 1024, 1),
      loaded_kb: round(m.loaded / 1024, 1),
      heaviest: m.heaviest ? m.heaviest.replace(/^.*?(functions|core)\//, "$1/") : "",
      // what the import parses, by package (zod: issue #15's "schemas not parsed at import")
      initial_zod_kb: round((m.initialByPackage.zod ?? 0) / 1024, 1),
      initial_jsonc_kb: round((m.initialByPackage["jsonc-parser"] ?? 0) / 1024, 1),
      initial_sdk_kb: round(Object.entries(m.initialByPackage).filter(([p]) => p.startsWith("@aws-sdk/") || p.startsWith("@smithy/") || p.startsWith("@aws-crypto/")).reduce((a, [, b]) => a + b, 0) / 1024, 1),
      initial_own_kb: round((m.initialByPackage["(own)"] ?? 0) / 1024, 1),
      // a run that failed its message (m.failed) is not reported as a time
      import_ms: m.failed ? "" : round(m.importMs, 1),
      first_ms: m.failed ? "" : round(m.firstMs, 1),
      init_ms: m.failed ? "" : round(m.totalMs, 1),
      init_x_floor: m.failed ? "" : round(m.xFloor, 2),
      size_ok: m.kind === "floor" ? "" : m.loaded / 1024 <= SIZE_TARGET_KB ? "yes" : "NO",
      init_ok: m.kind === "floor" ? "" : m.failed ? "FAILED" : m.xFloor <= INIT_TARGET_X_FLOOR ? "yes" : "NO",
      // the second request of the same kind in the same process (bundlesBench); empty when there was none or it failed
      warm_ms: m.failed || m.warmMs === undefined ? "" : round(m.warmMs, 1),
      cold_minus_warm_ms: m.failed || m.penaltyMs === undefined ? "" : round(m.penaltyMs, 1),
      penalty_x_floor: m.failed || m.penaltyXFloor === undefined ? "" : round(m.penaltyXFloor, 2),
    }));
    const deployed = measured.filter((m) => m.kind !== "floor" && m.kind !== "area (static)");
    const timed = deployed.filter((m) => !m.failed);
    const lazy = measured.filter((m) => m.kind === "area (lazy, deployed)");
    const stat = measured.filter((m) => m.kind === "area (static)");
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const newBytes = deployed.reduce((a, m) => a + m.bytes, 0);
    const newGzip = deployed.reduce((a, m) => a + m.gzip, 0);
    const summary = {
      floor_init_ms: round(floor.totalMs, 1),
      // the Node flags every cold process started with (BENCH_COLD_NODE_ARGS; empty: Node's defaults)
      cold_node_args: COLD_NODE_ARGS.join(" "),
      // the SDK's local http path: "import" as deployed, or "require" as its https path loads in AWS (BENCH_COLD_SDK_HTTP)
      sdk_http: SDK_HTTP_BY_REQUIRE ? "require" : "import",
      deployed_functions: deployed.length,
      deployed_total_mb: round(newBytes / 2 ** 20, 2),
      deployed_total_gzip_mb: round(newGzip / 2 ** 20, 2),
      old_functions: oldCount,
      old_total_mb: round((oldBytes + oldWorkers.reduce((a, m) => a + m.bytes, 0)) / 2 ** 20, 2),
      old_total_gzip_mb: round((oldGzip + oldWorkers.reduce((a, m) => a + m.gzip, 0)) / 2 ** 20, 2),
      old_largest_route_kb: round(oldMax / 1024, 1),
      lazy_vs_static_init: round(mean(lazy.map((m) => m.xFloor)) / mean(stat.map((m) => m.xFloor)), 2),
      within_size_target: deployed.filter((m) => m.loaded / 1024 <= SIZE_TARGET_KB).length,
      initial_kb_range: [round(Math.min(...deployed.map((m) => m.initial)) / 1024, 0), round(Math.max(...deployed.map((m) => m.initial)) / 1024, 0)],
      loaded_kb_range: [round(Math.min(...deployed.map((m) => m.loaded)) / 1024, 0), round(Math.max(...deployed.map((m) => m.loaded)) / 1024, 0)],
      within_init_target: deployed.filter((m) => m.xFloor <= INIT_TARGET_X_FLOOR).length,
      init_x_floor_range: [round(Math.min(...timed.map((m) => m.xFloor)), 2), round(Math.max(...timed.map((m) => m.xFloor)), 2)],
      // consumers whose cold runs did not do their message's work (no time reported for them)
      failed: deployed.filter((m) => m.failed).map((m) => `${m.fn}: ${m.failed}`),
      // cold init − warm request, over the floor's cold init (functions with a second request)
      penalty_x_floor_range: timed.some((m) => m.penaltyXFloor !== undefined) ? [round(Math.min(...timed.flatMap((m) => m.penaltyXFloor ?? [])), 2), round(Math.max(...timed.flatMap((m) => m.penaltyXFloor ?? [])), 2)] : [],
      // functions whose second request was not like the first (no warm time reported for them)
      warm_failed: measured.filter((m) => m.warmFailed).map((m) => `${m.fn}: ${m.warmFailed}`),
    };
    return {
      name: `Deployed functions: minified size and cold init (import + first request against the embedded stack, fresh process; ratio to the floor run just before it, median of ${RUNS} pairs)`,
      rows,
      notes: [
        `floor (document client + one GetItem): ${summary.floor_init_ms} ms; targets: ≤ ${SIZE_TARGET_KB} KB and ≤ ${INIT_TARGET_X_FLOOR}× floor`,
        SDK_HTTP_BY_REQUIRE
          ? "the SDK's request handler takes node:http by require in these bundles (BENCH_COLD_SDK_HTTP=require), as its https path loads in AWS: no undici"
          : "bundled as deployed: the SDK's request handler imports node:http for the embedded stack's http:// endpoints, which loads undici (about 10 ms here, the floor's too; BENCH_COLD_SDK_HTTP=require measures without it)",
        `every cold process started with ${COLD_NODE_ARGS.length ? `these Node flags (BENCH_COLD_NODE_ARGS), the floor's too: ${COLD_NODE_ARGS.join(" ")}` : "Node's default flags (BENCH_COLD_NODE_ARGS unset)"}`,
        ...deployed.filter((m) => Object.keys(m.loadedVia).length).map((m) => `${m.fn}: loads one of its alternatives (the county's SMS provider), loaded_kb per alternative: ${Object.entries(m.loadedVia).map(([k, v]) => `${k.replace(/^.*\//, "")} ${round(v / 1024, 1)}`).join(", ")}`),
        `sizes (code splitting, as sst.config.ts deploys): kb = every chunk (the upload); initial_kb = the entry and what it imports statically (read at import); loaded_kb = initial + the heaviest route's module with all it imports, statically or on first use (S3/SQS clients included) — the size target is checked on loaded_kb; the SDK's default credential chain and endpoint discovery are not bundled (the aliases of stacks/esbuild.ts, as deployed); consumers get real messages where the bench can make them, two a run: the first request's and the warm one's (first_request says which)`,
        ...summary.failed.map((f) => `FAILED (its cold runs did not do their message's work; no time): ${f}`),
        `warm_ms: a second request of the same kind served right after the first in the same fresh process (area functions: the same event again; consumers: a second message of their own; the floor: a second GetItem; schedules: none, a sweep's second run finds what the first left, not an equal request); cold_minus_warm_ms = cold init (import + first) − warm: what being cold added to that request; penalty_x_floor = that over the paired floor run's cold init (medians of the per-run values); init_x_floor and init_ok are unchanged (import + first request)`,
        ...summary.warm_failed.map((f) => `second request not like the first (no warm time): ${f}`),
        ...unpaired,
        `deployed: ${summary.deployed_functions} functions, ${summary.deployed_total_mb} MB minified (${summary.deployed_total_gzip_mb} MB gzip); within size target ${summary.within_size_target}/${deployed.length}, within init target ${summary.within_init_target}/${deployed.length}`,
        handlers.length
          ? `old layout (one function per route): ${summary.old_functions} functions, ${summary.old_total_mb} MB minified (${summary.old_total_gzip_mb} MB gzip), largest route ${summary.old_largest_route_kb} KB`
          : "old layout (one function per route): not bundled in this run (BENCH_BUNDLES_OLD=0; its numbers are in docs/deploy.md)",
        `area functions, lazy per-route imports vs static imports: mean cold init ratio ${summary.lazy_vs_static_init} (lower is better for lazy)`,
      ],
      summary,
      measured,
    } as BenchResult;
  } finally {
    await receiver?.close();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
