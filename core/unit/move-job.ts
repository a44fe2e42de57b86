/**
 * The unit-move job (`unit-move` on the jobs queue): after a subtree's units moved (move.ts), its
 * records follow — open cases, households (and their visit state), people, places, key-list
 * entries, then staff role rows and users' assignments. Each phase repeatedly takes the next page
 * of records still stored under the old path and rewrites each one conditionally (its version, or
 * its old path), so a crashed run resumes where it stopped, a duplicate delivery cannot run
 * concurrently (the claim takes the job's lease: core/job/lease.ts) and a record written twice is written
 * once. Registry records moved shift the registry tallies of the ancestors they left and joined
 * (core/registry/repo-tally.ts). Progress: the job's `total` (counted at the start) and `done`. Reads stay correct
 * meanwhile through the move registry (paths.ts, move-registry.ts).
 */
import * as keys from "../db/keys.ts";
import { strip } from "../db/items.ts";
import { auditPut } from "../audit/entry.ts";
import type { Clock } from "../clock.ts";
import { logger } from "../log.ts";
import { repathCase } from "../case/repath.ts";
import type { Case } from "../case/schema.ts";
import { addJobProgress, finishJob, getJob, updateJob } from "../job/repo.ts";
import { jobRun } from "../job/run.ts";
import { MAX_JOB_ATTEMPTS, TERMINAL, type Job } from "../job/schema.ts";
import { finishMove } from "./move-registry.ts";
import { shiftTally } from "../registry/repo-tally.ts";
import { subtree } from "./repo.ts";
import { householdIdsUnder, listUnder, repathRecord, repathStaffRow, repathVersioned, repathVisitState, setAssignments, staffRowsOf, sweepPage as querySweepPage, taskGrids, userRecord, writeRepathedCase } from "./repo-move-job.ts";
import { caseMonths } from "../case/years.ts";
import { countyMonth, liveOpenShift } from "../aggregate/apply.ts";
import { OPEN_STATES } from "../case/states.ts";
import { getSettings } from "../settings/settings.ts";
import { bumpConfigVersionNow } from "../config/repo.ts";

export { UNIT_MOVE } from "./move-kind.ts";
const PAGE = 25;

interface MoveInput {
  rootId: string;
  oldPath: string;
  newPath: string;
}

/** A phase: the records under a prefix (one gsi1 partition) and how to rewrite one. */
interface Phase {
  name: string;
  gsi1pk: string;
  rewrite: (raw: Record<string, unknown>, m: MoveInput, at: string) => Promise<boolean>;
}

const moved = (path: string, m: MoveInput) => m.newPath + path.slice(m.oldPath.length);

const versioned = repathVersioned;

/**
 * A case (open or closed: the same gsi1sk shape) re-pathed with its owner (core/case/repath.ts). An
 * open case also moves its live `open` count (AGG#live, core/aggregate/apply.ts) from the units it
 * left to the units it joined, in the same transaction as its new path: the case's version condition
 * makes the shift happen exactly once, and ADDs commute with the aggregate consumer's own.
 */
const rewriteCase: Phase["rewrite"] = async (raw, m, at) => {
  const c = strip<Case>(raw)!;
  const next = repathCase(c, m.oldPath, m.newPath);
  const live = OPEN_STATES.includes(c.state) ? liveOpenShift(c.unitPath, next.unitPath) : [];
  return writeRepathedCase(c, next, live, at);
};

const PHASES: Phase[] = [
  { name: "cases", gsi1pk: "CASES#OPEN", rewrite: rewriteCase },
  {
    name: "households",
    gsi1pk: "HOUSEHOLDS",
    rewrite: async (raw, m, at) => {
      const id = raw.id as string;
      const np = moved(raw.unitPath as string, m);
      const done = await versioned(keys.household(id), raw, keys.householdList(np, id).gsi1sk, np, at);
      if (done) await shiftTally("households", raw.unitPath as string, np);
      // the household's visit state carries the path for the overdue filter
      await repathVisitState(id, np, raw.unitPath);
      return done;
    },
  },
  {
    name: "people",
    gsi1pk: "PEOPLE",
    rewrite: async (raw, m, at) => {
      const np = moved(raw.unitPath as string, m);
      const done = await versioned(keys.person(raw.id as string), raw, keys.personList(np, (raw.householdId as string | null) ?? null, raw.id as string).gsi1sk, np, at);
      if (done) await shiftTally("people", raw.unitPath as string, np);
      return done;
    },
  },
  {
    name: "places",
    gsi1pk: "PLACES",
    rewrite: async (raw, m, at) => {
      const np = moved(raw.unitPath as string, m);
      const done = await versioned(keys.place(raw.id as string), raw, keys.placeList(np, raw.id as string).gsi1sk, np, at);
      if (done) await shiftTally("places", raw.unitPath as string, np);
      return done;
    },
  },
  ...["people", "places", "matters"].map(
    (list): Phase => ({
      name: `keylist-${list}`,
      gsi1pk: `KEYLIST#${list}`,
      rewrite: async (raw, m, at) => {
        const np = moved(raw.unitPath as string, m);
        return versioned(keys.keyEntry(raw.id as string), raw, keys.keyEntryList(list, np, raw.id as string).gsi1sk, np, at);
      },
    }),
  ),
];

/**
 * Records not listed by unit path: a partition read whole (or a few partitions) with a filter on
 * the stored `unitPath`, each match rewritten if it still carries the old path. Closed cases are
 * listed by path but per month: one phase per closed-case month partition.
 */
interface Sweep {
  name: string;
  /** `filter`: a condition on top of the old path (a record two sources share is counted and rewritten by one) */
  sources: (m: MoveInput, now: Date) => Promise<Array<{ IndexName?: string; KeyConditionExpression: string; ExpressionAttributeValues: Record<string, unknown>; filter?: string }>>;
  rewrite: (raw: Record<string, unknown>, m: MoveInput, at: string) => Promise<boolean>;
}

/** A record whose only path is `unitPath`: the new one, only if it still has the old one (and its version, when it has one). */
const repathed = (raw: Record<string, unknown>, m: MoveInput, at: string, versioned: boolean) => repathRecord(raw, moved(raw.unitPath as string, m), at, versioned);

/** Grid workers and other staff of the moved units (their patrols carry the unit's path). */
async function staffOfSubtree(path: string): Promise<string[]> {
  const users = new Set<string>();
  for (const u of await subtree(path)) {
    for (const r of await staffRowsOf(u.id)) users.add(r.userId as string);
  }
  return [...users];
}

const SWEEPS: Sweep[] = [
  {
    // closed and rejected cases, month by month (CASES#CLOSED#<county month>, by path within the month)
    name: "closed-cases",
    sources: async (m, now) =>
      (await caseMonths(countyMonth(now, (await getSettings()).timeZone))).map((month) => ({
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
        ExpressionAttributeValues: { ":pk": keys.caseByUnit(false, month, "", "", "").gsi1pk, ":p": m.oldPath },
      })),
    rewrite: rewriteCase,
  },
  {
    // API keys scoped to a unit of the subtree (few: the county's partner keys)
    name: "api-keys",
    sources: async () => [{ IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.apiKeyList("", "").gsi1pk } }],
    rewrite: (raw, m, at) => repathed(raw, m, at, true),
  },
  {
    // residents registered in a grid of the subtree: read through the last-seen index (every resident is on it)
    name: "residents",
    sources: async () => [{ IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.residentSeen("", "").gsi1pk } }],
    rewrite: (raw, m, at) => repathed(raw, m, at, true),
  },
  {
    // visits of the subtree's households (under the household, whatever worker made them)
    name: "visits",
    sources: async (m) => {
      const out = [];
      for (const prefix of [m.newPath, m.oldPath]) {
        for (const id of await householdIdsUnder(prefix)) out.push({ KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)", ExpressionAttributeValues: { ":pk": keys.household(id).pk, ":p": keys.visitPrefix } });
      }
      return out;
    },
    rewrite: (raw, m, at) => repathed(raw, m, at, false),
  },
  {
    // patrols walked in a grid of the subtree, whoever walked them (a worker who has left the grid too): a patrol
    // carries the grid it was walked in, so it follows the grid (gsi3 by grid); patrols written before that index
    // existed (no gsi3 until migration 0003 stamps them) are still found through the moved units' current staff
    name: "patrols",
    sources: async (m) => [
      ...(await subtree(m.newPath)).map((u) => ({ IndexName: "gsi3", KeyConditionExpression: "gsi3pk = :pk", ExpressionAttributeValues: { ":pk": keys.patrolByUnit(u.id, "", "").gsi3pk } })),
      ...(await staffOfSubtree(m.newPath)).map((userId) => ({ IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.patrolByUser(userId, "", "").gsi1pk }, filter: "attribute_not_exists(gsi3pk)" })),
    ],
    rewrite: (raw, m, at) => repathed(raw, m, at, false),
  },
  {
    // department task units (one per grid of an approved task, `TASK#<id> / UNIT#<unitId>`) of the subtree's grids:
    // the tasks whose grids include a moved unit, each task's unit items (the grid's path decides who may complete it)
    name: "task-units",
    sources: async (m) => {
      const ids = new Set((await subtree(m.newPath)).map((u) => u.id));
      const out = [];
      for (const t of await taskGrids())
        if (t.gridUnitIds.some((g) => ids.has(g))) out.push({ KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)", ExpressionAttributeValues: { ":pk": keys.task(t.id).pk, ":p": keys.taskUnitPrefix } });
      return out;
    },
    rewrite: (raw, m, at) => repathed(raw, m, at, false),
  },
];

/** One page of a sweep source, only records still under the old path (`count`: how many, over the whole source). */
const sweepPage = (src: Awaited<ReturnType<Sweep["sources"]>>[number], m: MoveInput, start: Record<string, unknown> | undefined, count = false) => querySweepPage(src, m.oldPath, start, count);

async function countSweeps(m: MoveInput, now: Date): Promise<number> {
  let n = 0;
  for (const sw of SWEEPS) {
    for (const src of await sw.sources(m, now)) {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await sweepPage(src, m, start, true);
        n += out.Count ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
    }
  }
  return n;
}

const page = (gsi1pk: string, prefix: string, count = false) => listUnder(gsi1pk, prefix, PAGE, count);

/** Staff: role rows of the moved units and the users' stored assignments (tokens are read canonically meanwhile). */
async function repathStaff(m: MoveInput, at: string): Promise<number> {
  let n = 0;
  const units = await subtree(m.newPath);
  const users = new Set<string>();
  for (const u of units) {
    for (const r of await staffRowsOf(u.id)) {
      users.add(r.userId as string);
      if (typeof r.unitPath === "string" && r.unitPath.startsWith(m.oldPath)) {
        await repathStaffRow(r, moved(r.unitPath, m));
      }
    }
  }
  for (const id of users) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const u = await userRecord(id);
      const assignments = (u?.assignments ?? []) as Array<{ unitPath: string }>;
      if (!u || !assignments.some((a) => a.unitPath.startsWith(m.oldPath))) break;
      const next = assignments.map((a) => (a.unitPath.startsWith(m.oldPath) ? { ...a, unitPath: moved(a.unitPath, m) } : a));
      const ok = await setAssignments(id, next, at, u.version);
      if (ok) {
        n++;
        break;
      }
    }
  }
  return n;
}

/** Records still under the old path (the job's total at its start). */
export async function countToRepath(m: MoveInput, now: Date): Promise<number> {
  let n = 0;
  for (const ph of PHASES) n += (await page(ph.gsi1pk, m.oldPath, true)) as number;
  return n + (await countSweeps(m, now));
}

/**
 * Run (or resume) a unit-move job. `opts.maxPages` stops after that many pages — a run cut short
 * as by a crash (tests use it to look at reads mid-way); the next delivery resumes.
 */
export const runUnitMove = (jobId: string, clock: Clock, opts: { maxPages?: number } = {}): Promise<void> => jobRun(clock, () => runMove(jobId, clock, opts));

async function runMove(jobId: string, clock: Clock, opts: { maxPages?: number }): Promise<void> {
  const job = await getJob(jobId, true);
  if (!job) {
    logger.warn("move job not found", { jobId });
    return;
  }
  if (TERMINAL.includes(job.status)) return;
  const started = clock.now().toISOString();
  const claimed = await updateJob(jobId, { status: "running", startedAt: job.startedAt ?? started, updatedAt: started }, { from: ["queued", "running"], addAttempt: true, attempts: job.attempts ?? 0 });
  if (!claimed) return;
  try {
    await repath(job, clock, opts);
  } catch (e) {
    if (job.attempts + 1 < MAX_JOB_ATTEMPTS) throw e;
    logger.error("move job failed", { jobId, error: (e as Error).message });
    const at = clock.now().toISOString();
    await finishJob(jobId, { status: "failed", errors: [{ line: 0, reason: "the move stopped on an internal error; repeat the move to resume it" }], errorCount: 1, updatedAt: at, finishedAt: at });
  }
}

async function repath(job: Job, clock: Clock, opts: { maxPages?: number }): Promise<void> {
  const m = job.input as unknown as MoveInput;
  if (!job.total) {
    const total = await countToRepath(m, clock.now());
    await updateJob(job.id, { total, done: 0 });
  }
  let pages = 0;
  const counts: Record<string, number> = {};
  for (const ph of PHASES) {
    for (let stalled = 0; stalled < 3; ) {
      if (opts.maxPages !== undefined && pages >= opts.maxPages) return; // cut short: stays running
      const items = (await page(ph.gsi1pk, m.oldPath)) as Record<string, unknown>[];
      if (!items.length) break;
      pages++;
      const at = clock.now().toISOString();
      let written = 0;
      for (const raw of items) if (await ph.rewrite(raw, m, at)) written++;
      counts[ph.name] = (counts[ph.name] ?? 0) + written;
      if (written) await addJobProgress(job.id, written, at);
      stalled = written ? 0 : stalled + 1; // records that keep changing under us are left for a repeat
      // a record changed meanwhile is read again on the next page (it still carries the old path)
    }
  }
  for (const sw of SWEEPS) {
    for (const src of await sw.sources(m, clock.now())) {
      let start: Record<string, unknown> | undefined;
      do {
        if (opts.maxPages !== undefined && pages >= opts.maxPages) return; // cut short: stays running
        const out = await sweepPage(src, m, start);
        start = out.LastEvaluatedKey;
        const items = out.Items ?? [];
        if (!items.length) continue;
        pages++;
        const at = clock.now().toISOString();
        let written = 0;
        for (const raw of items) if (await sw.rewrite(raw, m, at)) written++;
        counts[sw.name] = (counts[sw.name] ?? 0) + written;
        if (written) await addJobProgress(job.id, written, at);
      } while (start);
    }
  }
  const staff = await repathStaff(m, clock.now().toISOString());
  // the role rows' unitPath moved: the staff version moves after them (cached role rows are read again)
  await bumpConfigVersionNow("staff", clock.now());
  const now = clock.now();
  await finishMove(m.rootId, now);
  const fresh = (await getJob(job.id, true))!;
  await finishJob(
    job.id,
    { status: "succeeded", done: fresh.total, result: { ...counts, users: staff }, updatedAt: now.toISOString(), finishedAt: now.toISOString() },
    [auditPut({ actor: job.createdBy, action: "unit.move.repath", entity: "unit", entityId: m.rootId, summary: `records of ${m.oldPath} → ${m.newPath}: ${JSON.stringify(counts)}, ${staff} users` }, now)],
  );
}
