/**
 * The monthly appraisal of a Mouding-sized county (6,168 micro-grids and their grids, communities,
 * streets; 300 departments; 300 grid workers) after a month of 200,000 cases: the real monthly run
 * (plan + every batch, reading aggregates only) next to a naive full read of the month's cases.
 *
 * Setup, as the events consumer would have left the table: the month's cases are generated as
 * domain events, folded through the real `countersFor` into per-subject totals and written as the
 * `AGG#<month>` items (batched); each case is also written as one raw item on the closed-cases
 * index (`CASES#CLOSED#<month>`) for the naive path. A second month gets the aggregates of 20,000
 * cases only, to show the scoring cost does not move with the number of cases.
 */
import { BatchWriteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../core/db/client.ts";
import * as keys from "../core/db/keys.ts";
import { item } from "../core/db/items.ts";
import { capacity, measureCapacity, requestCounts, resetRequestCounts, totalCapacity, totalRequests } from "../core/db/metrics.ts";
import { countersFor } from "../core/aggregate/counters.ts";
import { countyMonth } from "../core/aggregate/apply.ts";
import type { DomainEvent } from "../core/case/repo.ts";
import { syntheticCounty, seededRandom } from "../core/geo/index.ts";
import { unitItem } from "../core/unit/repo.ts";
import { departmentItem } from "../core/department/repo.ts";
import { indicatorsFor } from "../core/indicator/compute.ts";
import { BUILTIN_INDICATORS } from "../core/indicator/builtin.ts";
import { planRun, processBatch, type BatchStats } from "../core/appraisal/run.ts";
import { appraise, type Member } from "../core/appraisal/evaluate.ts";
import { presetRecord } from "../core/appraisal/rules.ts";
import { startStack } from "../local/stack.ts";
import { progress, round, type BenchResult, type Row } from "./harness.ts";

const CASES = Number(process.env.BENCH_APPRAISAL_CASES ?? 200_000);
const SMALL_CASES = 20_000;
const DEPARTMENTS = 300;
const WORKERS = 300;
/** Concurrent batch consumers (Lambda concurrency of the appraisal queue). */
const CONSUMERS = 4;
/**
 * Raw case items written for the naive read: all CASES by default (#16: both ways measured at full
 * size in the same run, the counters of both compared). BENCH_APPRAISAL_RAW=50000 writes fewer
 * for a quick look; the naive figures are then extrapolated to CASES (labelled).
 */
const RAW_CASES = Math.min(CASES, Number(process.env.BENCH_APPRAISAL_RAW ?? CASES));

const PERIOD = "2026-03";
/** the month before PERIOD, scored first: the big month's run then reads last month's scores as in a real county */
const SMALL_PERIOD = "2026-02";
const MIN = 60_000;

// ------------------------------------------------------------------ the synthetic county

type U = { id: string; path: string; level: string; depth: number; parentId: string | null };

function county() {
  const shape = syntheticCounty();
  const byId = new Map<string, U>();
  const levels: Record<string, string> = { county: "county", street: "street", community: "community", grid: "grid", micro: "micro_grid" };
  for (const s of shape) {
    const parent = s.parentId ? byId.get(s.parentId)! : undefined;
    byId.set(s.id, { id: s.id, parentId: s.parentId, depth: s.depth, level: levels[s.level] ?? s.level, path: `${parent?.path ?? "/"}${s.id}/` });
  }
  const units = [...byId.values()];
  return { units, micro: units.filter((u) => u.level === "micro_grid"), grids: units.filter((u) => u.level === "grid") };
}

// ------------------------------------------------------------------ a month of cases

/** What decides a case's timeline (stored on its raw item; the timeline is rebuilt from it). */
type Spec = {
  id: string;
  t0: number; // minutes since epoch
  unitPath: string;
  reporter: { kind: "user" | "resident"; id: string };
  dept: string;
  kind: "normal" | "rework" | "spot" | "rejected" | "dispute";
  lateAccept: boolean;
  lateHandle: boolean;
  lateVerify: boolean;
  level: string;
  mediation: string;
};

function specs(n: number, seed: number, micro: U[], workerOfGrid: Map<string, string>, start: number): Spec[] {
  const rnd = seededRandom(seed);
  const levels = ["very_satisfied", "satisfied", "satisfied", "satisfied", "average", "dissatisfied"];
  const out: Spec[] = [];
  for (let i = 0; i < n; i++) {
    const u = micro[Math.floor(rnd() * micro.length)];
    const gridId = u.path.split("/").filter(Boolean).at(-2)!;
    const worker = workerOfGrid.get(gridId);
    const r = rnd();
    const kind: Spec["kind"] = r < 0.66 ? "normal" : r < 0.76 ? "rework" : r < 0.86 ? "spot" : r < 0.92 ? "rejected" : "dispute";
    const publicReport = kind !== "spot" && (!worker || rnd() < 0.12);
    out.push({
      id: `B${seed}-${i}`,
      t0: start + Math.floor(rnd() * 12 * 1440), // every case closes within the month (≤ 15 days each)
      unitPath: u.path,
      reporter: publicReport ? { kind: "resident", id: `r-${i % 5000}` } : { kind: "user", id: worker! },
      dept: `dept-${Math.floor(rnd() * DEPARTMENTS)}`,
      kind: kind === "spot" && !worker ? "normal" : kind,
      lateAccept: rnd() < 0.05,
      lateHandle: rnd() < 0.12,
      lateVerify: rnd() < 0.05,
      level: levels[Math.floor(rnd() * levels.length)],
      mediation: rnd() < 0.8 ? "grid" : "community",
    });
  }
  return out;
}

/** The domain events of a case (the fields countersFor reads), in order. */
function timeline(s: Spec): DomainEvent[] {
  const iso = (m: number) => new Date(m * MIN).toISOString();
  const unitId = s.unitPath.split("/").filter(Boolean).at(-1)!;
  const worker = s.reporter.kind === "user" ? s.reporter.id : `w-${unitId}`;
  // snapshots shared by the events until they change (replaced, never mutated)
  let deadlines: Record<string, string> = { accept: iso(s.t0 + 120) };
  let flags = { returned: false, supervised: false, escalated: false, overdue: false, deferred: false };
  const setDeadline = (k: string, v: string) => (deadlines = { ...deadlines, [k]: v });
  const setFlag = (k: keyof typeof flags, v: boolean) => (flags = { ...flags, [k]: v });
  let owner: DomainEvent["owner"] = { kind: "unit", id: s.unitPath.split("/")[1] };
  let handler: DomainEvent["handler"];
  let version = 0;
  let t = s.t0;
  const events: DomainEvent[] = [];
  const decision = (at: number, from: string | null, to: string, actor: { kind: string; id: string }, parts: { type: string; data?: Record<string, unknown> }[]) => {
    version++;
    parts.forEach((p, seq) =>
      events.push({
        id: `${s.id}:${version}:${seq}`,
        caseId: s.id,
        caseNumber: s.id,
        categoryId: "cat",
        unitId,
        unitPath: s.unitPath,
        type: p.type,
        action: "comment",
        from,
        to,
        actor,
        at: iso(at),
        version,
        seq,
        data: p.data,
        owner,
        handler,
        reporter: s.reporter,
        urgent: false,
        flags,
        deadlines,
        createdAt: iso(s.t0),
      } as unknown as DomainEvent),
    );
  };
  const sys = { kind: "system", id: "timer" };
  const center = { kind: "user", id: "center" };
  const staff = { kind: "user", id: `staff-${s.dept}` };
  const w = { kind: "user", id: worker };
  decision(t, null, "reported", s.reporter, [{ type: "reported", data: { channel: s.reporter.kind === "user" ? "grid_worker" : "resident" } }]);
  if (s.kind === "spot") return decision(t + 30, "reported", "closed", w, [{ type: "resolved" }]), events;
  if (s.lateAccept) decision((t += 125), "reported", "reported", sys, [{ type: "overdue", data: { stage: "accept" } }]);
  t += s.lateAccept ? 60 : 60;
  if (s.kind === "rejected") return decision(t, "reported", "rejected", center, [{ type: "rejected" }]), events;
  const handle = (from: string) => {
    setDeadline("handle", iso(t + 5 * 1440));
    if (s.lateHandle) {
      setFlag("overdue", true);
      decision(t + 5 * 1440 + 1, from, from, sys, [{ type: "overdue", data: { stage: "handle" } }]);
      setFlag("supervised", true);
      decision(t + 6 * 1440 + 1, from, from, sys, [{ type: "supervised" }]);
      t += 6 * 1440 + 120;
    } else t += 1440 + 240;
    if (flags.overdue) setFlag("overdue", false);
    owner = { kind: "unit", id: unitId };
    setDeadline("verify", iso(t + 1440));
  };
  if (s.kind === "dispute") {
    decision(t, "reported", "dispatched", center, [{ type: "accepted" }, { type: "dispatched", data: { to: { kind: "unit", id: unitId }, mediation: "grid" } }]);
    owner = handler = { kind: "unit", id: unitId };
    setDeadline("handle", iso(t + 5 * 1440));
    t += 600;
    if (s.mediation === "community") decision(t, "dispatched", "dispatched", w, [{ type: "mediated", data: { outcome: "failed", level: "grid" } }]);
    decision((t += 600), "dispatched", "handled", w, [{ type: "mediated", data: { outcome: "resolved", level: s.mediation } }]);
    setDeadline("verify", iso(t + 1440));
  } else {
    decision(t, "reported", "claimable", center, [{ type: "accepted" }, { type: "claim_opened" }]);
    setDeadline("claim", iso(t + 60));
    owner = handler = { kind: "department", id: s.dept };
    decision((t += 30), "claimable", "dispatched", staff, [{ type: "claimed", data: { departmentId: s.dept, points: 1 } }]);
    handle("dispatched");
    decision(t, "dispatched", "handled", staff, [{ type: "handled" }]);
  }
  const verify = () => {
    if (s.lateVerify) decision(t + 1441, "handled", "handled", sys, [{ type: "overdue", data: { stage: "verify" } }]);
    t += s.lateVerify ? 1500 : 240;
    owner = { kind: "unit", id: s.unitPath.split("/")[1] };
    setDeadline("evaluate", iso(t + 3 * 1440));
    decision(t, "handled", "verified", w, [{ type: "verified" }]);
  };
  verify();
  if (s.kind === "rework") {
    decision((t += 600), "verified", "dispatched", s.reporter, [{ type: "evaluated", data: { level: "dissatisfied" } }, { type: "returned", data: { to: handler } }]);
    owner = handler!;
    handle("dispatched");
    decision(t, "dispatched", "handled", staff, [{ type: "handled" }]);
    verify();
  }
  const level = s.kind === "rework" || s.level === "dissatisfied" ? "satisfied" : s.level;
  decision((t += 600), "verified", "closed", s.reporter.kind === "resident" ? s.reporter : w, [{ type: "evaluated", data: { level } }]);
  return events;
}

/** Fold events into per-subject totals, as the events consumer's ADDs would. */
function fold(into: Map<string, Map<string, number>>, events: DomainEvent[]): void {
  for (const e of events) {
    for (const [subject, counters] of countersFor(e)) {
      const m = into.get(subject) ?? new Map<string, number>();
      for (const [k, v] of counters) m.set(k, (m.get(k) ?? 0) + v);
      into.set(subject, m);
    }
  }
}

// ------------------------------------------------------------------ writes

async function batchWrite(items: Record<string, unknown>[], parallel = 12, tick?: (n: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const chunk = items.slice(next, next + 25);
        next += 25;
        let request: Record<string, any> | undefined = { [tableName()]: chunk.map((Item) => ({ PutRequest: { Item } })) };
        while (request && Object.keys(request).length) {
          const out: { UnprocessedItems?: Record<string, any> } = await db().send(new BatchWriteCommand({ RequestItems: request }));
          request = out.UnprocessedItems;
        }
        done += chunk.length;
        tick?.(done);
      }
    }),
  );
}

const aggregateItems = (period: string, totals: Map<string, Map<string, number>>) =>
  [...totals].map(([subject, m]) => ({ pk: `AGG#${period}`, sk: subject, _et: "Aggregate", subject, month: period, ...Object.fromEntries(m) }));

function rawItem(s: Spec, events: DomainEvent[]) {
  const last = events[events.length - 1];
  const closedAt = last.at;
  return item(
    "Case",
    { ...keys.case(s.id), ...keys.caseByUnit(false, countyMonth(closedAt), s.unitPath, events[0].at, s.id) },
    { id: s.id, number: s.id, unitPath: s.unitPath, state: last.to, reporter: s.reporter, owner: last.owner, handler: last.handler, createdAt: events[0].at, closedAt, flags: last.flags, deadlines: last.deadlines, spec: s, description: "bench case: ".padEnd(120, "·") },
  );
}

// ------------------------------------------------------------------ the two ways to appraise

function stats() {
  const dynamo = [...requestCounts].filter(([k]) => k.startsWith("dynamodb:"));
  // since the last resetRequestCounts(); capacity only when measuring (measureCapacity)
  const cost = totalCapacity();
  const rcuByOp = Object.fromEntries([...capacity].filter(([, c]) => c.rcu).map(([k, c]) => [k.slice(9).replace(/Command$/, ""), c.rcu]));
  return { requests: totalRequests("dynamodb:"), byOp: Object.fromEntries(dynamo.map(([k, v]) => [k.slice(9), v])), cost, rcuByOp: rcuByOp as Record<string, number> };
}


/** The real monthly run, in process: plan, then every batch with CONSUMERS concurrent consumers. */
async function monthlyRun(period: string, now: Date) {
  resetRequestCounts();
  const t0 = performance.now();
  const { run, messages } = await planRun(period, { kind: "system", id: "bench" }, now);
  let keysRead = run.subjects.unit + run.subjects.department + run.subjects.worker; // the subject lists
  let next = 0;
  const results: BatchStats[] = [];
  await Promise.all(
    Array.from({ length: CONSUMERS }, async () => {
      while (next < messages.length) results.push(await processBatch(messages[next++], now));
    }),
  );
  const ms = performance.now() - t0;
  keysRead += results.reduce((s, r) => s + r.keysRead, 0);
  if (!results.some((r) => r.finalized)) throw new Error("the run did not finalize");
  return { ms, keysRead, batches: messages.length, written: results.reduce((s, r) => s + r.written, 0), subjects: run.subjects, ...stats() };
}

/** Naive: read every case of the month (the closed-cases index), rebuild the counters, appraise in memory. */
async function naiveScan(period: string, units: Member[], depts: Member[], workers: Member[]) {
  resetRequestCounts();
  const t0 = performance.now();
  const totals = new Map<string, Map<string, number>>();
  let items = 0;
  let bytes = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.caseByUnit(false, period, "", "", "").gsi1pk }, ExclusiveStartKey: start }),
    );
    for (const raw of out.Items ?? []) {
      items++;
      bytes += JSON.stringify(raw).length;
      fold(totals, timeline(raw.spec as Spec));
    }
    start = out.LastEvaluatedKey;
  } while (start);
  const rules = presetRecord();
  const defs = new Map(BUILTIN_INDICATORS.map((d) => [d.key, d]));
  const obj = (k: string) => Object.fromEntries(totals.get(k) ?? []);
  let scored = 0;
  for (const m of [...units, ...depts, ...workers]) {
    appraise(period, m, { counters: obj(`${m.subject}#${m.id}`), ...(m.subject === "worker" ? { grid: obj(`unit#${m.unitId}`) } : {}) }, rules, defs);
    scored++;
  }
  return { ms: performance.now() - t0, items, bytes, scored, totals, ...stats() };
}

// ------------------------------------------------------------------ the bench

export async function appraisalBench(): Promise<BenchResult> {
  const t = performance.now();
  const stack = await startStack({ async: false, log: () => {} });
  const notes: string[] = [];
  try {
    const now = stack.clock.now();
    const at = now.toISOString();
    const { units, micro, grids } = county();
    const workerOfGrid = new Map<string, string>();
    const workerMembers: Member[] = [];
    const userItems = Array.from({ length: WORKERS }, (_, i) => {
      const g = grids[i % grids.length];
      const id = `bw-${String(i).padStart(4, "0")}`;
      workerOfGrid.set(g.id, id);
      const a = { role: "grid_worker", unitId: g.id, unitPath: g.path };
      workerMembers.push({ subject: "worker", id, name: id, username: id, unitId: g.id, unitPath: g.path });
      return item("User", { ...keys.user(id), ...keys.userList(id) }, { id, username: id, displayName: `网格员${i}`, active: true, assignments: [a], passwordHash: "-", failedLogins: 0, version: 1, createdAt: at, updatedAt: at });
    });
    const deptMembers: Member[] = [];
    const deptItems = Array.from({ length: DEPARTMENTS }, (_, i) => {
      const id = `dept-${i}`;
      deptMembers.push({ subject: "department", id, name: id, code: `D${String(i).padStart(3, "0")}` });
      return departmentItem({ id, name: `部门${i}`, code: `D${String(i).padStart(3, "0")}`, contact: { name: "值班室" }, unitIds: [], active: true, version: 1, createdAt: at, updatedAt: at });
    });
    const unitMembers: Member[] = units.map((u, i) => ({ subject: "unit", id: u.id, name: u.id, code: String(100000 + i), path: u.path, level: u.level, depth: u.depth }));
    const unitItems = units.map((u, i) =>
      unitItem({ id: u.id, parentId: u.parentId, depth: u.depth, level: u.level, name: u.id, code: String(100000 + i), type: "other", path: u.path, active: true, version: 1, createdAt: at, updatedAt: at }),
    );
    console.log(`  county: ${units.length} units (${micro.length} micro-grids), ${DEPARTMENTS} departments, ${WORKERS} workers`);
    await batchWrite([...unitItems, ...deptItems, ...userItems]);

    // the big month: aggregates of every case, raw items for the naive path
    // from the 2nd: a case's events and its closing stay inside the month in county time and in UTC
    const monthStart = Date.parse(`${PERIOD}-02T00:00:00+08:00`) / MIN;
    const all = specs(CASES, 1, micro, workerOfGrid, monthStart);
    const totals = new Map<string, Map<string, number>>();
    let events = 0;
    const tg = performance.now();
    for (const s of all) {
      const ev = timeline(s);
      events += ev.length;
      fold(totals, ev);
    }
    const foldMs = performance.now() - tg;
    const aggs = aggregateItems(PERIOD, totals);
    const ta = performance.now();
    await batchWrite(aggs);
    console.log(`  ${CASES.toLocaleString("en")} cases → ${events.toLocaleString("en")} events → ${aggs.length.toLocaleString("en")} aggregate items (fold ${round(foldMs / 1000, 1)} s, write ${round((performance.now() - ta) / 1000, 1)} s)`);

    const rawCount = RAW_CASES;
    const tick = progress("raw case items", rawCount);
    const tr = performance.now();
    for (let i = 0; i < rawCount; i += 5000) {
      const chunk = all.slice(i, Math.min(rawCount, i + 5000)).map((s) => rawItem(s, timeline(s)));
      await batchWrite(chunk);
      tick(Math.min(rawCount, i + 5000));
    }
    const rawSeconds = (performance.now() - tr) / 1000;
    if (rawCount < CASES) {
      notes.push(`raw case items: ${rawCount.toLocaleString("en")} of the ${CASES.toLocaleString("en")} cases were written for the naive read (${Math.round(rawCount / rawSeconds)}/s on DynamoDB Local); its ${CASES.toLocaleString("en")}-case figures are EXTRAPOLATED ×${round(CASES / rawCount, 2)} from the measured row (labelled)`);
    }

    // the small month: same county, 20,000 cases' aggregates only
    const smallTotals = new Map<string, Map<string, number>>();
    for (const s of specs(SMALL_CASES, 2, micro, workerOfGrid, Date.parse(`${SMALL_PERIOD}-02T00:00:00+08:00`) / MIN)) fold(smallTotals, timeline(s));
    await batchWrite(aggregateItems(SMALL_PERIOD, smallTotals));
    console.log(`  setup ${round((performance.now() - t) / 1000, 1)} s; scoring…`);

    // what DynamoDB reports it consumed (ReturnConsumedCapacity), each way
    measureCapacity(true);
    const small = await monthlyRun(SMALL_PERIOD, now);
    const big = await monthlyRun(PERIOD, now);
    console.log(`  monthly runs ${round(big.ms / 1000, 1)} s and ${round(small.ms / 1000, 1)} s; naive scan…`);
    const naive = await naiveScan(PERIOD, unitMembers, deptMembers, workerMembers);
    measureCapacity(false);
    const [bigCost, smallCost, naiveCost] = [big.cost, small.cost, naive.cost];
    if (naive.items !== rawCount) throw new Error(`naive scan read ${naive.items} cases, expected ${rawCount}`);
    if (rawCount === CASES) {
      // both ways give the same counters
      for (const [k, m] of totals) {
        const other = naive.totals.get(k);
        for (const [c, v] of m) if (other?.get(c) !== v) throw new Error(`naive and aggregate counters differ at ${k} ${c}`);
      }
    }
    const scale = CASES / rawCount;
    const subjects = big.subjects.unit + big.subjects.department + big.subjects.worker;
    const rows: Row[] = [
      {
        method: "monthly run (aggregates)",
        cases: CASES,
        subjects,
        seconds: round(big.ms / 1000, 2),
        dynamodb_requests: big.requests,
        items_read: big.keysRead,
        RCU: round(bigCost.rcu, 1),
        WCU: round(bigCost.wcu, 1),
        results_written: big.written,
        batches: big.batches,
      },
      {
        method: "monthly run (aggregates)",
        cases: SMALL_CASES,
        subjects: small.subjects.unit + small.subjects.department + small.subjects.worker,
        seconds: round(small.ms / 1000, 2),
        dynamodb_requests: small.requests,
        items_read: small.keysRead,
        RCU: round(smallCost.rcu, 1),
        WCU: round(smallCost.wcu, 1),
        results_written: small.written,
        batches: small.batches,
      },
      {
        method: rawCount === CASES ? "naive full read of the month's cases" : `naive full read, measured on ${rawCount.toLocaleString("en")} cases`,
        cases: rawCount,
        subjects: naive.scored,
        seconds: round(naive.ms / 1000, 2),
        dynamodb_requests: naive.requests,
        items_read: naive.items,
        RCU: round(naiveCost.rcu, 1),
        WCU: round(naiveCost.wcu, 1),
        mb_read: round(naive.bytes / 2 ** 20, 1),
      },
    ];
    if (scale !== 1) {
      rows.push({
        method: "naive full read, EXTRAPOLATED to 200k cases",
        cases: CASES,
        subjects: naive.scored,
        seconds: round((naive.ms * scale) / 1000, 2),
        dynamodb_requests: Math.round(naive.requests * scale),
        items_read: Math.round(naive.items * scale),
        RCU: round(naiveCost.rcu * scale, 1),
        mb_read: round((naive.bytes * scale) / 2 ** 20, 1),
      });
    }
    const naiveReads = naive.items * scale;
    notes.push(
      `read capacity units (measured, ReturnConsumedCapacity${scale !== 1 ? "; naive EXTRAPOLATED" : ""}): naive ${round(naiveCost.rcu * scale, 1)} RCU / monthly run ${round(bigCost.rcu, 1)} RCU = ${round((naiveCost.rcu * scale) / bigCost.rcu, 1)}× at ${CASES.toLocaleString("en")} cases (target ≥ 20×); the run also writes ${round(bigCost.wcu, 1)} WCU of results`,
    );
    notes.push(
      `items read (the run: items its Queries read plus keys its BatchGets asked, found or not): naive / aggregates = ${round(naiveReads / big.keysRead, 1)}× at ${CASES.toLocaleString("en")} cases; time ratio ${round((naive.ms * scale) / big.ms, 1)}×`,
      `the monthly run reads the same items for ${SMALL_CASES.toLocaleString("en")} and ${CASES.toLocaleString("en")} cases (${small.keysRead.toLocaleString("en")} vs ${big.keysRead.toLocaleString("en")}): its cost grows with subjects (units, departments, workers), not with cases; the naive read grows with cases`,
      `monthly run = plan (3 list Queries, run record, last month's score sheets) + ${big.batches} batches on ${CONSUMERS} concurrent consumers (one Query of the batch's aggregates, BatchGet of workers' grids, external values; conditional transactions of 25 results; a score sheet; worker points) + finalize (ranks and leftovers from the sheets)`,
      `the naive read counts one raw item per case (its timeline rebuilt from the item); a real timeline is ~${round(events / CASES, 1)} more items per case, so the naive figures are a lower bound`,
      `DynamoDB requests of the ${CASES.toLocaleString("en")}-case run by operation: ${Object.entries(big.byOp).map(([k, v]) => `${k} ${v}`).join(", ")}`,
      `read units of the ${CASES.toLocaleString("en")}-case run by operation: ${Object.entries(big.rcuByOp).map(([k, v]) => `${k} ${round(v, 1)}`).join(", ")}`,
      `the ${SMALL_CASES.toLocaleString("en")}-case month (${SMALL_PERIOD}) is scored first with no month before it; the ${CASES.toLocaleString("en")}-case month (${PERIOD}) reads its scores for the change (score sheets, docs/appraisal.md)`,
      `on DynamoDB Local (one JVM on this machine), not DynamoDB: compare the two rows, not the absolute seconds`,
    );
    return { name: `Monthly appraisal: ${micro.length.toLocaleString("en")} micro-grids (${units.length.toLocaleString("en")} units), ${DEPARTMENTS} departments, ${WORKERS} workers, ${CASES.toLocaleString("en")} cases`, rows, notes };
  } finally {
    await stack.stop();
  }
}
