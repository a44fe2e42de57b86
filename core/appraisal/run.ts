/**
 * The monthly run: plan (list the subjects, write the run record, fan out one SQS message per
 * batch of subjects), then per batch compute and write the results from the month's aggregates,
 * then finalize (ranks, removal of results a re-run no longer produced, status done).
 *
 * Reads are aggregates (`AGG#<month>`, one item per subject), last month's results (for the
 * change), the month's external values and the subject lists: the cost grows with the number of
 * units, departments and workers, never with the number of cases.
 *
 * Idempotent: results are keyed by month and subject and written only by the newest run (run ids
 * are ULIDs, so `runId <= :run` keeps an older run's straggler from overwriting a newer one);
 * batches are marked done in a string set (a redelivered batch counts once); finalizing twice
 * gives the same state. A locked month is never written.
 */
import { ulid } from "ulid";
import { sqsSend } from "../sqs.ts";
import { ConflictError, InvalidError } from "../errors.ts";
import { actorOf, auditPut } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { logger } from "../log.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { getSettings } from "../settings/settings.ts";
import { parse } from "../validate.ts";
import { valuesForUnits } from "../indicator/repo.ts";
import { rangeDefaults } from "../indicator/ranges.ts";
import { appraise, type Member, type Previous } from "./evaluate.ts";
import { isFuture, previousPeriod } from "./period.ts";
import { EARN_ID, earnPoints } from "./points.ts";
import { aggregatesInRange, deleteSheet, getRunRaw, putSheet, runView, sheetsCovering, sheetsOf, type AppraisalItem, type RunRecord, type RunView, type Sheet, type SheetLine } from "./repo.ts";
import { deleteLeftoverResult, inParallel, markBatchDone, markRunDone, putResults, putRunRecord, resultLinesOf, resultsOfOtherRuns, setRank, subjectRows, unitAggregates } from "./repo-run.ts";
import { earnedPointsOfMany } from "./repo-points.ts";
import { getScoringRules } from "./rules.ts";
import { rankByScore } from "./score.ts";
import { RunInput, type Subject } from "./schema.ts";

/** Subjects per SQS message (one BatchGet of aggregates per 100 keys). */
export const BATCH_SIZE: Record<Subject, number> = { unit: 100, department: 100, worker: 50 };
/** A run still "running" after this long is taken as dead: a new run may replace it. */
export const STALE_RUN_MS = 15 * 60_000;
/** Concurrent conditional writes per batch. */
const WRITE_CONCURRENCY = 16;

/**
 * `previous`: last month's lines of the batch's subjects when the plan read them from last month's
 * finished run's sheets (a subject missing had no result); absent, the batch reads them itself.
 */
export type BatchMessage = { kind: "batch"; period: string; runId: string; batch: string; subject: Subject; members: Member[]; previous?: Record<string, SheetLine> };

/** `keysRead`: item keys read (found or not: DynamoDB charges a read per key asked). */
export type BatchStats = { written: number; skipped?: string; keysRead: number; finalized: boolean };

const SYSTEM_ACTOR = { kind: "system", id: "appraisal" };

// ------------------------------------------------------------------ subjects

/** Everyone appraised this month: active units, active departments, active grid workers (Queries on their list indexes). */
export async function listMembers(): Promise<Record<Subject, Member[]>> {
  const { units, departments, users } = await subjectRows();
  return {
    unit: units.filter((u) => u.active).map((u) => ({ subject: "unit", id: u.id, name: u.name, code: u.code, path: u.path, level: u.level, depth: u.depth })),
    department: departments.filter((d) => d.active).map((d) => ({ subject: "department", id: d.id, name: d.name, code: d.code })),
    worker: users.flatMap((u): Member[] => {
      const a = u.active ? (u.assignments as { role: string; unitId: string; unitPath: string }[]).find((x) => x.role === "grid_worker") : undefined;
      return a ? [{ subject: "worker", id: u.id, name: u.displayName, username: u.username, unitId: a.unitId, unitPath: a.unitPath }] : [];
    }),
  };
}

// ------------------------------------------------------------------ plan

export function batchesOf(period: string, runId: string, members: Record<Subject, Member[]>, previous?: Map<string, SheetLine>): BatchMessage[] {
  const out: BatchMessage[] = [];
  for (const subject of ["unit", "department", "worker"] as Subject[]) {
    // in the table's sort order, so a batch's aggregates and sheets are one key range
    const list = [...members[subject]].sort((a, b) => byteOrder(a.id, b.id));
    for (let i = 0; i < list.length; i += BATCH_SIZE[subject]) {
      const slice = list.slice(i, i + BATCH_SIZE[subject]);
      const lines = previous && Object.fromEntries(slice.flatMap((m) => (previous.has(`${subject}#${m.id}`) ? [[m.id, previous.get(`${subject}#${m.id}`)!]] : [])));
      out.push({ kind: "batch", period, runId, batch: `${subject}-${String(i / BATCH_SIZE[subject]).padStart(5, "0")}`, subject, members: slice, ...(lines ? { previous: lines } : {}) });
    }
  }
  return out;
}

/**
 * Start a run of a month: refuse a locked month (409), a month in the future (400) and a month
 * whose run is still in progress (409); write the run record (replacing the previous run's, by
 * compare-and-set on its run id) with an audit entry, and return the batches to send.
 */
export async function planRun(period: string, by: { kind: string; id: string; name?: string }, now: Date): Promise<{ run: RunView; messages: BatchMessage[] }> {
  const settings = await getSettings();
  if (isFuture(period, now, settings.timeZone)) throw new InvalidError(`${period} has not started yet`, { fields: [{ path: "period", message: "a month in the future" }] });
  const current = await getRunRaw(period, true);
  if (current?.locked) throw new ConflictError(`The appraisal of ${period} is locked`, { period, lockedAt: current.lockedAt });
  if (current?.status === "running" && Date.parse(current.startedAt) > now.getTime() - STALE_RUN_MS) {
    throw new ConflictError(`The appraisal of ${period} is running`, { run: runView(current) });
  }
  const [rules, members, previous] = await Promise.all([getScoringRules(), listMembers(), previousSheets(previousPeriod(period))]);
  const runId = ulid(now.getTime());
  const messages = batchesOf(period, runId, members, previous);
  const run: RunRecord = {
    period,
    runId,
    status: "running",
    total: messages.length,
    subjects: { unit: members.unit.length, department: members.department.length, worker: members.worker.length },
    rules,
    startedAt: now.toISOString(),
    startedBy: by,
    runs: (current?.runs ?? 0) + 1,
    locked: false,
    sheets: true,
    // results of a run from before sheets are found by reading them all, until a run of this month finishes with sheets
    ...(current && (!current.sheets || (current.fullSweep && current.status !== "done")) ? { fullSweep: true } : {}),
  };
  await putRunRecord(run, current?.runId, auditPut({ actor: by, action: "appraisal.run", entity: "appraisal", entityId: period, summary: `run ${run.runs} of ${period}: ${messages.length} batches, rules version ${rules.version}` }, now));
  if (!messages.length) await finalize(period, runId, now);
  return { run: runView(run), messages };
}

async function send(messages: BatchMessage[]): Promise<void> {
  const url = process.env.WANGGE_QUEUE_APPRAISAL_URL;
  if (!url) throw new Error("WANGGE_QUEUE_APPRAISAL_URL is not set");
  for (let i = 0; i < messages.length; i += 10) {
    let batch = messages.slice(i, i + 10);
    for (let attempt = 0; batch.length; attempt++) {
      const out = await sqsSend("SendMessageBatch", { QueueUrl: url, Entries: batch.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })) });
      const failed = new Set((out.Failed ?? []).map((f) => Number(f.Id)));
      batch = batch.filter((_, j) => failed.has(j));
      if (batch.length && attempt >= 3) throw new Error(`could not send ${batch.length} appraisal batches`);
    }
  }
}

/** `POST /v1/appraisals/run` and the schedule: plan and fan out to the appraisal queue. */
export async function startRun(p: Principal, input: unknown, now: Date): Promise<RunView> {
  requireCountyWide(p, "appraisals:run");
  const { period } = parse(RunInput, input, "run");
  const { run, messages } = await planRun(period, actorOf(p), now);
  await send(messages);
  return run;
}

// ------------------------------------------------------------------ batches

const subjectKey = (m: Member) => `${m.subject}#${m.id}`;

/** Compare ids as DynamoDB orders sort keys (UTF-8 bytes), not as JavaScript orders strings (UTF-16). */
export const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

const within = (id: string, s: Sheet) => byteOrder(s.first, id) <= 0 && byteOrder(id, s.last) <= 0;

/**
 * Every line of last month's sheets (`<subject>#<id>` → line), read once by the plan (a few hundred KB
 * for a county: ~40 read units) when last month's run finished with sheets; else undefined and each
 * batch reads its own.
 */
async function previousSheets(period: string): Promise<Map<string, SheetLine> | undefined> {
  const run = await getRunRaw(period, false);
  if (!run?.sheets || run.status !== "done") return undefined;
  const lines = new Map<string, SheetLine>();
  for (const s of await sheetsOf(period, undefined, false)) if (s.runId === run.runId) for (const [id, line] of Object.entries(s.lines)) lines.set(`${s.subject}#${id}`, line);
  return lines;
}

/**
 * Last month's score, band and grade of the batch's subjects, from last month's sheets (two small
 * Queries): a subject inside a sheet of last month's final run and not on it had no result. Subjects
 * no such sheet covers (a month scored before sheets existed, or whose run did not finish) are read
 * from their results. `read`: items and keys read.
 */
async function previousLines(period: string, subject: Subject, ids: string[], first: string, last: string): Promise<{ lines: Map<string, SheetLine>; read: number }> {
  const run = await getRunRaw(period, false);
  if (!run) return { lines: new Map(), read: 1 };
  const sheets = run.sheets ? (await sheetsCovering(period, subject, first, last)).filter((s) => s.runId === run.runId) : [];
  const lines = new Map<string, SheetLine>();
  const uncovered: string[] = [];
  for (const id of ids) {
    const sheet = sheets.find((s) => within(id, s));
    if (!sheet) uncovered.push(id);
    else if (sheet.lines[id]) lines.set(id, sheet.lines[id]);
  }
  const results = await resultLinesOf(period, subject, uncovered);
  for (const r of results) lines.set(r.id as string, [(r.score as number | null) ?? null, (r.band as SheetLine[1]) ?? null, (r.grade as string | null) ?? null]);
  return { lines, read: 1 + sheets.length + uncovered.length };
}

/**
 * One batch: read the run item and, at the same time, the batch's aggregates (and workers' grids),
 * last month's results and the units' external values; appraise each subject; write the results
 * (only if no newer run wrote them), the sheet and workers' points at the same time; then mark the
 * batch done and finalize when it was the last (#15: 5 round-trip stages → 3 before the mark).
 */
export async function processBatch(msg: BatchMessage, now: Date): Promise<BatchStats> {
  const prevPeriod = previousPeriod(msg.period);
  const ids = msg.members.map((m) => m.id).sort(byteOrder);
  const [first, last] = [ids[0], ids[ids.length - 1]];
  const gridIds = msg.subject === "worker" ? [...new Set(msg.members.map((m) => (m as Extract<Member, { subject: "worker" }>).unitId))] : [];
  // the batch's reads go out with the run item's (#15: one round trip less): the run only decides
  // whether they are used — a superseded, locked or finished batch drops them (read, not wrong)
  const reads = Promise.all([
    // the batch's own aggregates: one range of the month's partition
    aggregatesInRange(msg.period, msg.subject, first, last),
    unitAggregates(msg.period, gridIds),
    msg.previous ? { lines: new Map(Object.entries(msg.previous)), read: 0 } : previousLines(prevPeriod, msg.subject, ids, first, last),
    msg.subject === "unit" ? valuesForUnits(msg.period, msg.members.map((m) => m.id)) : Promise.resolve(new Map<string, Record<string, number>>()),
    rangeDefaults(),
  ]);
  reads.catch(() => {}); // a batch that returns below does not wait for them (no unhandled rejection)
  const run = await getRunRaw(msg.period, true);
  if (!run || run.runId !== msg.runId) return { written: 0, skipped: "superseded by a newer run", keysRead: 1, finalized: false };
  if (run.locked) return { written: 0, skipped: "locked", keysRead: 1, finalized: false };
  if (run.doneBatches?.has(msg.batch) && run.status === "done") return { written: 0, skipped: "already done", keysRead: 1, finalized: false };
  const [inRange, grids, prev, external, defs] = await reads;
  const aggs = [...inRange, ...grids];
  const keysRead = 1 + inRange.length + gridIds.length + prev.read + (msg.subject === "unit" ? msg.members.length : 0);
  const counters = new Map(aggs.map((a) => [a.sk as string, a as Record<string, number>]));
  const previous = new Map([...prev.lines].map(([id, [score, band, grade]]) => [`${msg.subject}#${id}`, { score, band, grade } satisfies Previous]));
  const computedAt = now.toISOString();
  const results: AppraisalItem[] = msg.members.map((m) => {
    const body = appraise(
      msg.period,
      m,
      {
        counters: counters.get(subjectKey(m)),
        ...(m.subject === "worker" ? { grid: counters.get(`unit#${m.unitId}`) } : {}),
        ...(m.subject === "unit" ? { external: external.get(m.id) } : {}),
      },
      run.rules,
      defs,
      previous.get(subjectKey(m)),
    );
    return { ...body, runId: msg.runId, computedAt };
  });

  // results, sheet and workers' points at the same time (#15): each write is conditional and
  // idempotent on its own, and none reads another's; a failure of any leaves the batch not done, so
  // the redelivery writes them all again. markBatchDone stays last: it is what makes a redelivery skip the batch.
  const [written] = await Promise.all([
    putResults(results, msg.runId),
    putSheet({ period: msg.period, subject: msg.subject, first, last, runId: msg.runId, lines: Object.fromEntries(results.map((r) => [r.id, [r.score ?? null, r.band ?? null, r.grade ?? null]])) }),
    msg.subject === "worker"
      ? (async () => {
          const old = await earnedPointsOfMany(results.map((r) => ({ userId: r.id, period: r.period })), EARN_ID);
          await inParallel(results, WRITE_CONCURRENCY, async (r) => {
            if (r.points) await earnPoints(r.id, r.period, r.points, msg.runId, now, old.get(r.id) ?? null);
          });
        })()
      : undefined,
  ]);

  const done = await markBatchDone(msg.period, msg.runId, msg.batch);
  if (!done) return { written, skipped: "superseded while running", keysRead, finalized: false };
  const finalized = (done?.doneBatches?.size ?? 0) >= (done?.total ?? Infinity);
  if (finalized) await finalize(msg.period, msg.runId, now);
  return { written, keysRead, finalized };
}

// ------------------------------------------------------------------ finalize

/**
 * Ranks of departments and workers, removal of other runs' leftovers, status done — from the month's
 * sheets (a few KB a batch), not its results: this run's sheets give every score, the sheets of
 * earlier runs every subject they appraised. A month whose earlier run wrote no sheets
 * (`fullSweep`) also reads its results once to find leftovers.
 */
export async function finalize(period: string, runId: string, now: Date): Promise<void> {
  const sheets = await sheetsOf(period);
  const mine = sheets.filter((s) => s.runId === runId);
  for (const subject of ["department", "worker"] as Subject[]) {
    const lines = mine.filter((s) => s.subject === subject).flatMap((s) => Object.entries(s.lines));
    const ranks = rankByScore(lines.map(([id, [score]]) => ({ id, score })));
    await inParallel(lines, WRITE_CONCURRENCY, async ([id]) => setRank(period, subject, id, ranks.get(id), runId));
  }
  // results of subjects this run did not appraise (gone since an earlier run): remove, then the earlier runs' sheets
  const appraised = new Set(mine.flatMap((s) => Object.keys(s.lines).map((id) => `${s.subject}#${id}`)));
  const older = sheets.filter((s) => s.runId < runId);
  const leftovers = new Set(older.flatMap((s) => Object.keys(s.lines).map((id) => `${s.subject}#${id}`)).filter((k) => !appraised.has(k)));
  if ((await getRunRaw(period, true))?.fullSweep) {
    for (const l of await resultsOfOtherRuns(period, runId)) if (l.runId < runId) leftovers.add(l.sk);
  }
  await inParallel([...leftovers], WRITE_CONCURRENCY, async (sk) => deleteLeftoverResult(period, sk, runId));
  await inParallel(older, WRITE_CONCURRENCY, async (s) => void (await deleteSheet(s)));
  if (!(await markRunDone(period, runId, now.toISOString(), leftovers.size))) logger.info("finalize of a superseded run", { period, runId });
}

/** The scheduled run of the month that just ended; a locked or running month is left alone. */
export async function runScheduled(now: Date, period: string): Promise<{ period: string; started: boolean; reason?: string; batches?: number }> {
  try {
    const { messages } = await planRun(period, SYSTEM_ACTOR, now);
    await send(messages);
    return { period, started: true, batches: messages.length };
  } catch (e) {
    if (e instanceof ConflictError) return { period, started: false, reason: e.message };
    throw e;
  }
}
