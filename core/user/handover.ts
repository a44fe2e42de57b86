/**
 * Handover of a leaving staff member's work (人走机留, issue #20; docs/setup.md "Staff changes").
 *
 * What a user holds: their role assignments that carry grid work (grid worker, grid leader,
 * instructor, community and street staff — the roles that patrol, visit, verify and mediate), and
 * the pending grids of active tasks pushed to them. What follows a grid assignment without being
 * moved one by one: the grid's open cases (owned by the grid or the units above, never by a
 * person: a case a person resolves on the spot closes at once), its households' visit schedule and
 * its patrol duty (both read from the grid's current staff rows). History stays with the person
 * who earned it: visits, patrols, completed task grids, points.
 *
 * `POST /v1/users/{id}/handover {successorId?}` checks the successor in the same decision (a real,
 * active staff user the caller manages, who does grid work) or, without one, finds each grid's
 * leader (grid leader on the grid or above, else community staff, else street staff), then creates
 * a job (`user-handover`, the jobs queue) and a handover record; the job moves everything,
 * each item conditionally, and finishes with one audit entry (who, from, to, counts). A repeated
 * call (same Idempotency-Key, or while the handover runs) returns the same job; a crashed run is
 * resumed by the queue's redelivery and completes what is left; nothing is moved twice.
 */
import * as z from "zod/mini";
import { ulid } from "ulid";
import { actorOf, auditPut } from "../audit/entry.ts";
import type { Assignment, Principal } from "../auth/principal.ts";
import type { RoleName } from "../auth/roles.ts";
import type { Clock } from "../clock.ts";
import { ConflictError, InvalidError, NotFoundError } from "../errors.ts";
import { logger } from "../log.ts";
import { enqueueJob } from "../job/enqueue.ts";
import { addJobProgress, finishJob, getJob, jobIdByIdempotencyKey, updateJob } from "../job/repo.ts";
import { jobRun } from "../job/run.ts";
import { IdempotencyKey, MAX_JOB_ATTEMPTS, queuedJob, TERMINAL, jobView, type Job, type JobView } from "../job/schema.ts";
import { parse } from "../validate.ts";
import { staffLookup } from "../duty/staff.ts";
import { moveTaskUnit, pendingTaskUnitsOf, rebuildTaskWorkers, type PendingTaskUnit } from "../duty/repo-handover.ts";
import { writeNotices } from "../duty/notice.ts";
import { getUnits } from "../unit/repo.ts";
import { getUser } from "./repo.ts";
import { allUsers, getHandover, handoverDoneOp, householdCount, insertHandover, moveAssignments, openCasesOwned, type HandoverRecord } from "./repo-handover.ts";
import type { UserItem } from "./schema.ts";
import { userUnitPath, visibleUser } from "./service.ts";
import { openWorkOf, WORK_ROLES } from "./open-work.ts";

export { openWorkOf, refuseIfOpenWork, WORK_ROLES } from "./open-work.ts";

export const USER_HANDOVER = "user-handover";

/** Who takes a unit's work when no successor is named: the first of these found on the unit or above it. */
const DEFAULT_SUCCESSOR_ROLES: readonly RoleName[][] = [["grid_leader"], ["community_staff"], ["street_staff"]];

export const HandoverInput = z.strictObject({
    /** the user who takes the work; absent: each grid's leader (or the staff above it) */
    successorId: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
  });

const HandoverCounts = z.object({
  assignments: z.number().check(z.int()),
  taskUnits: z.number().check(z.int()),
  cases: z.number().check(z.int()),
  households: z.number().check(z.int()),
});

export const HandoverPreview = z.object({
  userId: z.string(),
  active: z.boolean(),
  /** role assignments that carry grid work, as they move */
  assignments: z.array(z.object({ role: z.string(), unitId: z.string(), unitPath: z.string() })),
  /** pending grids of active tasks assigned to the user */
  taskUnits: z.array(z.object({ taskId: z.string(), title: z.string(), dueAt: z.string(), unitId: z.string(), unitName: z.string(), unitCode: z.string() })),
  counts: HandoverCounts.check(z.meta({ description: "assignments and task grids move; cases (open cases owned by the user's units) and households (their visit schedule) follow the assignments" })),
  /** work that would be stranded by deactivating the user now (deactivation is refused while any) */
  open: z.object({ assignments: z.number().check(z.int()), taskUnits: z.number().check(z.int()), cases: z.number().check(z.int()) }),
  /** users who may take the work (active, managed by the caller, doing grid work), at most 200 */
  successors: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(z.string()) })),
  /** without a successor: who takes each unit's work (absent where nobody is above the unit) */
  defaults: z.array(z.object({ unitId: z.string(), userId: z.nullable(z.string()), displayName: z.nullable(z.string()) })),
  /** the last handover of this user */
  handover: z.nullable(z.object({ jobId: z.string(), successorId: z.nullable(z.string()), state: z.enum(["running", "done"]), startedAt: z.string(), finishedAt: z.optional(z.string()) })),
});
export type HandoverPreview = z.infer<typeof HandoverPreview>;

export const HandoverStarted = z.object({ jobId: z.string(), userId: z.string(), successorId: z.nullable(z.string()), job: z.record(z.string(), z.unknown()) });

const workAssignments = (u: Pick<UserItem, "assignments">) => u.assignments.filter((a) => WORK_ROLES.includes(a.role));
const isGridStaff = (u: Pick<UserItem, "assignments">) => u.assignments.some((a) => WORK_ROLES.includes(a.role));

async function leaverFor(p: Principal, id: string): Promise<UserItem> {
  const u = await getUser(id);
  if (!u || !visibleUser(p, u, "users:write")) throw new NotFoundError(`User ${id} not found`);
  return u;
}

/** The default successor of each unit: the first role of DEFAULT_SUCCESSOR_ROLES held on it or above (not by the leaver). */
async function defaultsFor(leaverId: string, paths: Map<string, string>): Promise<Map<string, string | null>> {
  const staff = staffLookup();
  const out = new Map<string, string | null>();
  for (const [unitId, path] of paths) {
    let found: string | null = null;
    for (const roles of DEFAULT_SUCCESSOR_ROLES) {
      const ids = (await staff.onPath(path, [...roles])).filter((x) => x !== leaverId);
      if (ids.length) {
        found = ids.sort()[0];
        break;
      }
    }
    out.set(unitId, found);
  }
  return out;
}

/** Units the work lies in: the assignments' units and the task grids' (unit id → path). */
function workUnits(assignments: Assignment[], tasks: PendingTaskUnit[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of assignments) m.set(a.unitId, a.unitPath);
  for (const t of tasks) m.set(t.unitId, t.unitPath);
  return m;
}

/**
 * Why `s` cannot take `leaver`'s work (a refusal naming `successorId`), or nothing. The caller
 * must manage the successor (users:write over all their units) and every unit the work moves to.
 */
function successorProblem(p: Principal, leaver: UserItem, s: UserItem | undefined, moving: Assignment[]): InvalidError | ConflictError | undefined {
  const refuse = (reason: string, message: string, status: 400 | 409 = 400) => {
    const details = { fields: [{ path: "successorId", message: reason.replaceAll("_", " ") }], field: "successorId", reason };
    return status === 400 ? new InvalidError(message, details) : new ConflictError(message, details);
  };
  if (!s || !visibleUser(p, s, "users:write")) return refuse("unknown_user", "The successor is not a user you manage");
  if (s.id === leaver.id) return refuse("same_user", "A user cannot hand work over to themselves");
  if (!s.active) return refuse("inactive_user", "The successor is deactivated", 409);
  if (!isGridStaff(s)) return refuse("not_grid_staff", `The successor holds no grid role (${WORK_ROLES.join(", ")}); give them one first`);
  const added = moving.filter((m) => !s.assignments.some((a) => a.role === m.role && a.unitId === m.unitId));
  if (s.assignments.length + added.length > 20) return refuse("too_many_assignments", "The successor would hold more than 20 role assignments");
  return undefined;
}

/** What the user holds, who may take it, and the last handover (`GET /v1/users/{id}/handover`). */
export async function previewHandover(p: Principal, id: string): Promise<HandoverPreview> {
  const u = await leaverFor(p, id);
  const assignments = workAssignments(u);
  const tasks = await pendingTaskUnitsOf(u.id);
  let cases = 0;
  let households = 0;
  for (const a of assignments) {
    cases += await openCasesOwned("unit", a.unitId);
    if (a.role === "grid_worker") households += await householdCount(a.unitPath);
  }
  const owned = await openCasesOwned("user", u.id);
  const open = await openWorkOf(u);
  const defaults = await defaultsFor(u.id, workUnits(assignments, tasks));
  const everyone = await allUsers();
  const names = new Map(everyone.map((x) => [x.id, x.displayName]));
  const successors = everyone
    .filter((s) => s.id !== u.id && s.active && isGridStaff(s) && visibleUser(p, s, "users:write"))
    .slice(0, 200)
    .map((s) => ({ id: s.id, username: s.username, displayName: s.displayName, roles: [...new Set(s.assignments.map((a) => a.role))] }));
  const rec = await getHandover(u.id);
  return {
    userId: u.id,
    active: u.active,
    assignments: assignments.map((a) => ({ role: a.role, unitId: a.unitId, unitPath: a.unitPath })),
    taskUnits: tasks.map((t) => ({ taskId: t.taskId, title: t.title, dueAt: t.dueAt, unitId: t.unitId, unitName: t.unitName, unitCode: t.unitCode })),
    counts: { assignments: assignments.length, taskUnits: tasks.length, cases: cases + owned, households },
    open: { assignments: open.assignments, taskUnits: open.taskUnits, cases: open.cases },
    successors,
    defaults: [...defaults].map(([unitId, userId]) => ({ unitId, userId, displayName: userId ? (names.get(userId) ?? null) : null })),
    handover: rec ? { jobId: rec.jobId, successorId: rec.successorId, state: rec.state, startedAt: rec.startedAt, ...(rec.finishedAt ? { finishedAt: rec.finishedAt } : {}) } : null,
  };
}

/**
 * Start (or find) the handover of a user's work. Returns the job and whether it is one started
 * earlier (a repeated request: same Idempotency-Key, or the same handover still running).
 */
export async function startHandover(p: Principal, id: string, input: unknown, now: Date, idempotencyKey?: string, opts: { enqueue?: boolean } = {}): Promise<{ job: JobView; replayed: boolean; successorId: string | null }> {
  const enqueue = opts.enqueue ?? true;
  const data = parse(HandoverInput, input ?? {}, "handover");
  const key = idempotencyKey === undefined ? undefined : parse(IdempotencyKey, idempotencyKey, "Idempotency-Key header");
  const leaver = await leaverFor(p, id);
  const idem = key ? { callerId: `${p.kind}#${p.id}#handover#${id}`, key, now } : undefined;
  if (idem) {
    const prior = await jobIdByIdempotencyKey(idem.callerId, idem.key);
    const job = prior ? await getJob(prior, true) : undefined;
    if (job) {
      if (enqueue && !TERMINAL.includes(job.status)) await enqueueJob({ kind: USER_HANDOVER, jobId: job.id }); // as below: completes a crashed run
      return { job: jobView(job), replayed: true, successorId: (job.input.successorId as string | null) ?? null };
    }
  }
  const successorId = data.successorId ?? null;
  const running = await getHandover(leaver.id);
  if (running?.state === "running") {
    if (running.successorId !== successorId) {
      throw new ConflictError("A handover of this user is running; wait for it to finish", { fields: [{ path: "successorId", message: "handover in progress" }], field: "successorId", reason: "handover_in_progress", jobId: running.jobId });
    }
    const job = await getJob(running.jobId, true);
    if (job) {
      // the same handover asked for again: queue its job once more, so a run that crashed half-way completes now
      // (a duplicate delivery is harmless: every move is conditional, a finished job is skipped)
      if (enqueue && !TERMINAL.includes(job.status)) await enqueueJob({ kind: USER_HANDOVER, jobId: job.id });
      return { job: jobView(job), replayed: true, successorId };
    }
  }
  const assignments = workAssignments(leaver);
  const tasks = await pendingTaskUnitsOf(leaver.id);
  if (!assignments.length && !tasks.length) {
    throw new ConflictError(`${leaver.username} holds no work to hand over`, { fields: [{ path: "id", message: "nothing to hand over" }], field: "id", reason: "nothing_to_hand_over" });
  }
  // the caller manages every unit the work lies in
  const units = await getUnits([...workUnits(assignments, tasks).keys()]);
  for (const u of units.values()) if (!visibleUser(p, { assignments: [{ role: "grid_worker", unitId: u.id, unitPath: u.path }] }, "users:write")) throw new NotFoundError(`User ${id} not found`);
  if (successorId) {
    const problem = successorProblem(p, leaver, await getUser(successorId), assignments);
    if (problem) throw problem;
  } else {
    const missing = [...(await defaultsFor(leaver.id, workUnits(assignments, tasks)))].filter(([, who]) => !who).map(([unitId]) => unitId);
    if (missing.length) {
      throw new ConflictError("No grid leader or staff above these units can take the work; name a successor", { fields: [{ path: "successorId", message: "required" }], field: "successorId", reason: "no_default_successor", unitIds: missing });
    }
  }
  const at = now.toISOString();
  const job = queuedJob({ id: ulid(now.getTime()), kind: USER_HANDOVER, total: assignments.length + tasks.length, input: { userId: leaver.id, successorId }, createdBy: actorOf(p), scopes: [], at });
  const rec: HandoverRecord = { userId: leaver.id, jobId: job.id, successorId, state: "running", startedAt: at };
  if (!(await insertHandover(job, rec, idem))) {
    // a concurrent request won: its Idempotency-Key or its running handover answers
    const prior = idem ? await jobIdByIdempotencyKey(idem.callerId, idem.key) : (await getHandover(leaver.id))?.jobId;
    const found = prior ? await getJob(prior, true) : undefined;
    if (!found) throw new ConflictError("A handover of this user started meanwhile; read it again", { reason: "handover_in_progress" });
    return { job: jobView(found), replayed: true, successorId: (found.input.successorId as string | null) ?? null };
  }
  if (enqueue) await enqueueJob({ kind: USER_HANDOVER, jobId: job.id });
  return { job: jobView(job), replayed: false, successorId };
}

/** Run (or resume) a handover job. `opts.stopAfter` ends the run after that many moved items (a crash, for tests). */
export const runHandover = (jobId: string, clock: Clock, opts: { stopAfter?: number } = {}): Promise<void> => jobRun(clock, () => runHandoverJob(jobId, clock, opts));

async function runHandoverJob(jobId: string, clock: Clock, opts: { stopAfter?: number }): Promise<void> {
  const job = await getJob(jobId, true);
  if (!job || TERMINAL.includes(job.status)) return;
  const started = clock.now().toISOString();
  const claimed = await updateJob(jobId, { status: "running", startedAt: job.startedAt ?? started, updatedAt: started }, { from: ["queued", "running"], addAttempt: true, attempts: job.attempts ?? 0 });
  if (!claimed) return;
  try {
    await handOver(job, clock, opts);
  } catch (e) {
    if (job.attempts + 1 < MAX_JOB_ATTEMPTS) throw e;
    logger.error("handover job failed", { jobId, error: (e as Error).message });
    const at = clock.now().toISOString();
    const input = job.input as { userId: string };
    await finishJob(jobId, { status: "failed", errors: [{ line: 0, reason: `the handover stopped: ${(e as Error).message}; start it again to finish` }], errorCount: 1, updatedAt: at, finishedAt: at }, [handoverDoneOp(input.userId, jobId, at)]);
  }
}

class Stop extends Error {}

/** Moves between two writes of the job's progress. */
const FLUSH = 10;

async function handOver(job: Job, clock: Clock, opts: { stopAfter?: number }): Promise<void> {
  const { userId, successorId } = job.input as { userId: string; successorId: string | null };
  let budget = opts.stopAfter ?? Infinity;
  const spend = () => {
    if (--budget < 0) throw new Stop();
  };
  // counts of earlier (interrupted) runs of this job are kept on its result as it goes
  const prior = (job.result as { assignments?: number; taskUnits?: number } | null) ?? {};
  const moved = { assignments: prior.assignments ?? 0, taskUnits: prior.taskUnits ?? 0 };
  // progress and counts are written every FLUSH moves (and at the end of each phase), not per item
  let unsaved = 0;
  const flush = async () => {
    if (!unsaved) return;
    await updateJob(job.id, { result: { userId, successorId, ...moved } });
    await addJobProgress(job.id, unsaved, clock.now().toISOString());
    unsaved = 0;
  };
  const errors: Array<{ line: number; reason: string }> = [];
  let leaver = await getUser(userId);
  if (!leaver) throw new Error(`user ${userId} not found`);
  const before = leaver;
  try {
    // 1. role assignments first: no new task reaches the leaver once they no longer hold the grids
    for (let attempt = 0; attempt < 5; attempt++) {
      leaver = (await getUser(userId))!;
      const moving = workAssignments(leaver);
      if (!moving.length) break;
      const to = successorId ? await getUser(successorId) : undefined;
      if (successorId && !to?.active) throw new Error("the successor is no longer active");
      spend();
      if (await moveAssignments(leaver, to, moving, clock.now())) {
        moved.assignments += moving.length;
        unsaved += moving.length;
        await flush();
        break;
      }
    }
    // 2. pending task grids
    const pending = await pendingTaskUnitsOf(userId);
    const defaults = successorId ? undefined : await defaultsFor(userId, workUnits([], pending));
    const touched = new Map<string, Set<string>>();
    for (const u of pending) {
      const to = successorId ?? defaults?.get(u.unitId) ?? null;
      if (!to) {
        errors.push({ line: 0, reason: `task ${u.taskId} grid ${u.unitCode}: nobody above the grid can take it; name a successor` });
        continue;
      }
      spend();
      if (await moveTaskUnit(u, userId, to)) {
        moved.taskUnits++;
        if (++unsaved >= FLUSH) await flush();
      }
      touched.set(u.taskId, (touched.get(u.taskId) ?? new Set()).add(to));
    }
    await flush();
    const at = clock.now().toISOString();
    for (const [taskId, to] of touched) {
      await rebuildTaskWorkers(taskId, [userId, ...to]);
      const t = pending.find((x) => x.taskId === taskId)!;
      await writeNotices([...to].map((u) => ({ userId: u, id: `task.handover.${taskId}.${userId}`, type: "task.assigned", at, reason: "handover", title: `交接任务：${t.title}`, data: { taskId, from: userId } })));
    }
  } catch (e) {
    if (e instanceof Stop) {
      await flush();
      return; // cut short: stays running, the next delivery resumes
    }
    throw e;
  }
  // done: one audit entry (who, from, to, counts) with the job's result and the record's state
  const now = clock.now();
  const fresh = (await getJob(job.id, true))!;
  const result = { userId, successorId, ...moved };
  const successor = successorId ? await getUser(successorId) : undefined;
  await finishJob(
    job.id,
    { status: "succeeded", done: Math.max(fresh.done, fresh.total), result, errors, errorCount: errors.length, updatedAt: now.toISOString(), finishedAt: now.toISOString() },
    [
      handoverDoneOp(userId, job.id, now.toISOString()),
      auditPut(
        {
          actor: job.createdBy,
          action: "user.handover",
          entity: "user",
          entityId: userId,
          unitPath: userUnitPath(before),
          summary: `${before.username} → ${successor?.username ?? "grid leaders"}: ${result.assignments} assignments, ${result.taskUnits} task grids`,
          changes: { successor: { from: userId, to: successorId }, assignments: { from: result.assignments, to: 0 }, taskUnits: { from: result.taskUnits, to: 0 } },
        },
        now,
      ),
    ],
  );
}
