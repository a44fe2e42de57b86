import { ulid } from "ulid";
import { recordDutyPhotos } from "./photo-retention.ts";
import * as z from "zod/mini";
import { Cursor, IdRef } from "../db/ids.ts";
import * as keys from "../db/keys.ts";
import { mapStorageError } from "../db/errors.ts";
import type { Page } from "../db/page.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../errors.ts";
import { actorOf, auditPut } from "../audit/entry.ts";
import { hasPermission, inScopes, requireScope, scopesFor, type Principal } from "../auth/principal.ts";
import { getSettings } from "../settings/settings.ts";
import { getUnits, subtree } from "../unit/repo.ts";
import type { Unit } from "../unit/schema.ts";
import { parse } from "../validate.ts";
import { commit, put } from "../registry/access.ts";
import { LocalDate, Notes } from "../registry/fields.ts";
import { writeNotices, type DutyNotice } from "./notice.ts";
import { checkPhotos, evidenceLink, Photos } from "./inputs.ts";
import { staffLookup } from "./staff.ts";
import { completionSchema, getTaskType } from "./tasktypes.ts";
import { countyDate, dayEnd } from "./time.ts";
import {
  allTasksPage,
  commitUnitDone,
  departmentTasksPage,
  getTask,
  getTaskUnit,
  isTaskWorker,
  markFannedOut,
  markTaskDone,
  overdueTasksPage,
  putTaskUnitsIfAbsent,
  putTaskWorkers,
  taskItem,
  tasksByIds,
  tasksInStatePage,
  taskUnits,
  transition,
  workerTaskRowsPage,
} from "./repo-tasks.ts";

/**
 * Tasks (任务清单): a department asks for data collection or verification over some units; the
 * center approves (or refuses); approval expands the units to grids and pushes one work item per
 * grid to its grid workers; workers complete grids with data and photos; the task is done when
 * every grid is. Progress and overdue are read from the task item.
 */
export type TaskState = "requested" | "active" | "done" | "refused";

export type Task = {
  id: string;
  typeId: string;
  typeCode: string;
  typeName: string;
  title: string;
  description?: string;
  departmentId: string;
  requestedBy: { id: string; name?: string };
  targetUnitIds: string[];
  dueAt: string;
  state: TaskState;
  gridUnitIds: string[];
  totalUnits: number;
  doneUnits: number;
  fannedOut: boolean;
  approvedBy?: { id: string; name?: string };
  approvedAt?: string;
  decisionNote?: string;
  refusedReason?: string;
  completedAt?: string;
  /** grids completed after the due time (kept once done) */
  lateUnits?: number;
  /** grids with no grid worker at approval, and what the approver chose for them */
  unassigned?: { choice: UnassignedChoice; unitIds: string[] };
  version: number;
  createdAt: string;
  updatedAt: string;
};

export type TaskUnit = {
  taskId: string;
  unitId: string;
  unitPath: string;
  unitName: string;
  unitCode: string;
  assignees: string[];
  status: "pending" | "done";
  completedBy?: { id: string; name?: string };
  completedAt?: string;
  data?: Record<string, unknown>;
  photos?: Array<{ key: string }>;
  note?: string;
};

const MAX_GRIDS = 500;

export const RequestTask = z.strictObject({
    typeId: IdRef(40),
    title: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
    description: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
    unitIds: z.pipe(z.array(z.string().check(z.minLength(1), z.maxLength(40))).check(z.minLength(1), z.maxLength(100)), z.transform((ids) => [...new Set(ids)])),
    /** last county day to finish (default: the type's default days from today) */
    dueDate: z.optional(LocalDate),
  });

/**
 * What to do with grids that have no grid worker when a task is approved: push them to the grid
 * leaders and community staff above them, leave them out of the task, or keep them unassigned
 * (whoever writes the registry over the grid completes them). Without a choice, approval of such
 * a task is refused with the list of those grids.
 */
export const UnassignedChoice = z.enum(["leaders", "skip", "keep"]);
export type UnassignedChoice = z.infer<typeof UnassignedChoice>;
export const Decision = z.strictObject({ note: z.optional(z.string().check(z.trim(), z.maxLength(500))), unassigned: z.optional(UnassignedChoice) });
export const Refusal = z.strictObject({ reason: z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(500)) });
export const Completion = z.strictObject({ data: z._default(z.record(z.string().check(z.maxLength(32)), z.unknown()), {}), photos: Photos, note: z.optional(Notes) });

const actor = (p: Principal) => ({ id: p.id, name: p.kind === "user" ? p.username : undefined });

function departmentOf(p: Principal): string {
  if (p.kind !== "user") throw new ForbiddenError("Tasks are requested by department staff");
  const a = p.assignments.find((x) => x.departmentId);
  if (!a?.departmentId) throw new ForbiddenError("Tasks are requested by department staff");
  return a.departmentId;
}

/**
 * `overdue`: active and past its due time. `late`: overdue, or done after its due time — a task
 * finished late stays late. `lateUnits`: grids completed after the due time.
 */
export function taskView(t: Task, now: Date) {
  const { gridUnitIds: _g, fannedOut: _f, ...rest } = t;
  const overdue = t.state === "active" && t.dueAt < now.toISOString();
  return {
    ...rest,
    lateUnits: t.lateUnits ?? 0,
    progress: { done: t.doneUnits, total: t.totalUnits, percent: t.totalUnits ? Math.round((t.doneUnits / t.totalUnits) * 100) : 0 },
    overdue,
    late: overdue || (t.state === "done" && Boolean(t.completedAt && t.completedAt > t.dueAt)),
  };
}

/** A grid of a task as shown: `late` when completed after the due time, or still pending past it. */
export function taskUnitView(u: TaskUnit, t: Pick<Task, "dueAt" | "state">, now: Date) {
  const late = u.status === "done" ? Boolean(u.completedAt && u.completedAt > t.dueAt) : t.state === "active" && t.dueAt < now.toISOString();
  return { ...u, late };
}
export type TaskView = ReturnType<typeof taskView>;

export async function requestTask(p: Principal, input: unknown, now: Date): Promise<TaskView> {
  const data = parse(RequestTask, input, "task");
  const departmentId = departmentOf(p);
  const type = await getTaskType(data.typeId);
  if (!type || !type.active) throw new InvalidError("Unknown task type", { fields: [{ path: "typeId", message: "unknown or inactive task type" }] });
  const units = await getUnits(data.unitIds);
  const missing = data.unitIds.flatMap((id, i) => (units.get(id)?.active ? [] : [{ path: `unitIds.${i}`, message: "unknown unit" }]));
  if (missing.length) throw new InvalidError("Unknown units", { fields: missing });
  for (const u of units.values()) requireScope(p, "tasks:request", u.path);
  const settings = await getSettings();
  const today = countyDate(now, settings.timeZone);
  const dueDate = data.dueDate ?? countyDate(new Date(now.getTime() + type.defaultDays * 86_400_000), settings.timeZone);
  if (dueDate < today) throw new InvalidError("Invalid task", { fields: [{ path: "dueDate", message: "in the past" }] });
  const at = now.toISOString();
  const t: Task = {
    id: ulid(now.getTime()),
    typeId: type.id,
    typeCode: type.code,
    typeName: type.name,
    title: data.title ?? type.name,
    description: data.description,
    departmentId,
    requestedBy: actor(p),
    targetUnitIds: data.unitIds,
    dueAt: dayEnd(dueDate, settings.timeZone).toISOString(),
    state: "requested",
    gridUnitIds: [],
    totalUnits: 0,
    doneUnits: 0,
    fannedOut: false,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await commit([
    put(taskItem(t), "attribute_not_exists(pk)"),
    auditPut({ actor: actorOf(p), action: "task.request", entity: "task", entityId: t.id, summary: `${t.typeCode} ${t.title}: ${t.targetUnitIds.length} units` }, now),
  ]);
  return taskView(t, now);
}

/** Target units at grid depth or below stay; units above expand to the grids of their subtree. */
async function gridsOf(targets: Unit[]): Promise<Unit[]> {
  const settings = await getSettings();
  const gridDepth = settings.levels.findIndex((l) => l.key === "grid") + 1 || settings.levels.length;
  const found = new Map<string, Unit>();
  for (const u of targets) {
    if (u.depth >= gridDepth) found.set(u.id, u);
    else for (const g of await subtree(u.path, { activeOnly: true })) if (g.depth === gridDepth) found.set(g.id, g);
    if (found.size > MAX_GRIDS) throw new InvalidError(`The units hold more than ${MAX_GRIDS} grids; split the task`, { fields: [{ path: "unitIds", message: "too many grids" }] });
  }
  return [...found.values()];
}

async function visibleTask(p: Principal, id: string): Promise<Task> {
  const t = await getTask(id, true);
  if (!t) throw new NotFoundError(`Task ${id} not found`);
  if (hasPermission(p, "tasks:manage")) return t;
  if (hasPermission(p, "tasks:request") && p.kind === "user" && p.assignments.some((a) => a.departmentId === t.departmentId)) return t;
  if (await isTaskWorker(t.id, p.id)) return t;
  const scopes = scopesFor(p, "registry:read");
  // registry staff over (part of) the task's units follow it too
  if (scopes.length && [...(await getUnits(t.targetUnitIds)).values()].some((u) => inScopes(u.path, scopes) || scopes.some((s) => s.startsWith(u.path)))) return t;
  throw new NotFoundError(`Task ${id} not found`);
}

/** Approve a requested task and push it to the grid workers of its units. Repeating it finishes an interrupted push. */
export async function approveTask(p: Principal, id: string, input: unknown, now: Date): Promise<TaskView> {
  const { note, unassigned } = parse(Decision, input ?? {}, "decision");
  let t = await visibleTask(p, id);
  const targets = await getUnits(t.targetUnitIds);
  for (const u of targets.values()) requireScope(p, "tasks:manage", u.path);
  if (t.state === "requested") {
    let grids = await gridsOf([...targets.values()].filter((u) => u.active));
    const staff = staffLookup();
    const nobody: Unit[] = [];
    for (const g of grids) if (!(await assigneesOf(staff, g, unassigned)).length) nobody.push(g);
    const listed = nobody.map((g) => ({ unitId: g.id, code: g.code, name: g.name }));
    if (nobody.length && (!unassigned || unassigned === "leaders")) {
      throw new ConflictError(
        unassigned
          ? `${nobody.length} grid(s) have neither a grid worker nor a grid leader or community staff above them; approve with unassigned "skip" or "keep"`
          : `${nobody.length} grid(s) have no grid worker; approve with unassigned "leaders", "skip" or "keep"`,
        { reason: "unassigned_grids", grids: listed, choices: unassigned ? ["skip", "keep"] : UnassignedChoice.options },
      );
    }
    if (unassigned === "skip") grids = grids.filter((g) => !nobody.includes(g));
    if (!grids.length) throw new ConflictError("No grid of this task is left to push", { reason: "no_grids", grids: listed });
    const set = {
      state: "active",
      gsi2pk: keys.taskByState("active", t.dueAt, t.id).gsi2pk,
      gridUnitIds: grids.map((g) => g.id),
      totalUnits: grids.length,
      approvedBy: actor(p),
      approvedAt: now.toISOString(),
      decisionNote: note ?? null,
      unassigned: unassigned ? { choice: unassigned, unitIds: nobody.map((g) => g.id) } : null,
    };
    const summary = `${t.title}: ${grids.length} grids${nobody.length ? `, ${nobody.length} without a grid worker (${unassigned})` : ""}`;
    await commit(
      [transition(t, "requested", set, now), auditPut({ actor: actorOf(p), action: "task.approve", entity: "task", entityId: id, summary, reason: note }, now)],
      async () => {
        throw new ConflictError("The task was changed meanwhile; reload and retry", { current: taskView((await getTask(id, true))!, now) });
      },
    );
    t = (await getTask(id, true))!;
  } else if (t.state !== "active") throw new ConflictError(`The task is ${t.state}`, { state: t.state });
  if (!t.fannedOut) await fanOut(t, now);
  return taskView((await getTask(id, true))!, now);
}

/** Who works a grid of a task: its grid workers; with the "leaders" choice, else the grid leaders and community staff above it. */
async function assigneesOf(staff: ReturnType<typeof staffLookup>, g: Pick<Unit, "path">, choice: UnassignedChoice | undefined): Promise<string[]> {
  const workers = await staff.onPath(g.path, ["grid_worker"]);
  if (workers.length || choice !== "leaders") return workers;
  return staff.onPath(g.path, ["grid_leader", "community_staff"]);
}

async function fanOut(t: Task, now: Date): Promise<void> {
  const staff = staffLookup();
  const grids = await getUnits(t.gridUnitIds);
  const perWorker = new Map<string, string[]>();
  const unitItems: TaskUnit[] = [];
  for (const gid of t.gridUnitIds) {
    const g = grids.get(gid);
    if (!g) continue;
    const assignees = await assigneesOf(staff, g, t.unassigned?.choice);
    unitItems.push({ taskId: t.id, unitId: g.id, unitPath: g.path, unitName: g.name, unitCode: g.code, assignees, status: "pending" });
    for (const w of assignees) perWorker.set(w, [...(perWorker.get(w) ?? []), g.id]);
  }
  // unit items only if absent (a repeated push never resets a completed grid)
  await putTaskUnitsIfAbsent(unitItems);
  const workers = [...perWorker];
  await putTaskWorkers(t, workers);
  const notices: DutyNotice[] = workers.map(([userId, unitIds]) => ({
    userId,
    id: `task.assigned.${t.id}`,
    type: "task.assigned",
    at: t.approvedAt ?? now.toISOString(),
    reason: "grid_worker",
    title: `新任务：${t.title}（${unitIds.length} 个网格）`,
    data: { taskId: t.id, unitIds, dueAt: t.dueAt },
  }));
  await writeNotices(notices);
  await markFannedOut(t.id);
}

export async function refuseTask(p: Principal, id: string, input: unknown, now: Date): Promise<TaskView> {
  const { reason } = parse(Refusal, input, "refusal");
  const t = await visibleTask(p, id);
  for (const u of (await getUnits(t.targetUnitIds)).values()) requireScope(p, "tasks:manage", u.path);
  if (t.state !== "requested") throw new ConflictError(`The task is ${t.state}`, { state: t.state });
  await commit(
    [
      transition(t, "requested", { state: "refused", gsi2pk: keys.taskByState("refused", t.dueAt, t.id).gsi2pk, refusedReason: reason, approvedBy: actor(p), approvedAt: now.toISOString() }, now),
      auditPut({ actor: actorOf(p), action: "task.refuse", entity: "task", entityId: id, summary: t.title, reason }, now),
    ],
    async () => {
      throw new ConflictError("The task was changed meanwhile; reload and retry");
    },
  );
  return taskView((await getTask(id, true))!, now);
}

/** A grid worker (or staff writing the registry over the grid) completes one grid of an active task. */
export async function completeTaskUnit(p: Principal, id: string, unitId: string, input: unknown, now: Date): Promise<{ task: TaskView; unit: TaskUnit }> {
  const data = parse(Completion, input ?? {}, "completion");
  const t = await getTask(id, true);
  const unit = t ? await getTaskUnit(id, unitId, true) : undefined;
  if (!t || !unit) throw new NotFoundError("No such grid on this task");
  const mayAct = unit.assignees.includes(p.id) || inScopes(unit.unitPath, scopesFor(p, "registry:write"));
  if (!mayAct) throw new NotFoundError("No such grid on this task");
  if (t.state !== "active") throw new ConflictError(`The task is ${t.state}`, { state: t.state });
  if (unit.status === "done") throw new ConflictError("This grid is already done", { completedBy: unit.completedBy });
  const type = await getTaskType(t.typeId);
  const values = type ? parse(z.object({ data: completionSchema(type) }), { data: data.data }, "task data").data : data.data;
  if (type?.photosRequired && !data.photos.length) throw new InvalidError("Photos are required", { fields: [{ path: "photos", message: "at least one photo" }] });
  await checkPhotos(p, data.photos);
  const done: TaskUnit = { ...unit, status: "done", completedBy: actor(p), completedAt: now.toISOString(), data: values as Record<string, unknown>, photos: data.photos, note: data.note };
  const late = now.toISOString() > t.dueAt;
  await commitUnitDone(id, unitId, done, unit.unitPath, late, now.toISOString(), auditPut({ actor: actorOf(p), action: "task.complete", entity: "task", entityId: id, summary: `${unit.unitCode} ${unit.unitName} done` }, now));
  await recordDutyPhotos(data.photos, "task", id, now); // retention (core/duty/photo-retention.ts)
  let after = (await getTask(id, true))!;
  if (after.doneUnits >= after.totalUnits) {
    if (await markTaskDone(id, after.dueAt, now.toISOString())) {
      await writeNotices([{ userId: after.requestedBy.id, id: `task.done.${id}`, type: "task.done", at: now.toISOString(), reason: "requester", title: `任务已完成：${after.title}`, data: { taskId: id } }]).catch((e) => mapStorageError(e));
    }
    after = (await getTask(id, true))!;
  }
  return { task: taskView(after, now), unit: taskUnitView(done, after, now) };
}

export async function readTask(p: Principal, id: string, now: Date): Promise<TaskView & { units: Array<ReturnType<typeof taskUnitView>> }> {
  const t = await visibleTask(p, id);
  return { ...taskView(t, now), units: (await taskUnits(id)).map((u) => taskUnitView(u, t, now)) };
}

/**
 * A photo of one grid's completion. The center and the requesting department see every grid's;
 * others who follow the task only the grids they are assigned to or read the registry over.
 */
export async function taskPhoto(p: Principal, id: string, unitId: string, key: string) {
  const t = await visibleTask(p, id);
  const unit = await getTaskUnit(id, unitId, false);
  if (!unit) throw new NotFoundError("No such grid on this task");
  const whole = hasPermission(p, "tasks:manage") || (hasPermission(p, "tasks:request") && p.kind === "user" && p.assignments.some((a) => a.departmentId === t.departmentId));
  if (!whole && !unit.assignees.includes(p.id) && !inScopes(unit.unitPath, scopesFor(p, "registry:read"))) throw new NotFoundError("No such grid on this task");
  return evidenceLink(unit.photos, key);
}

export const TaskQuery = z.object({
  state: z.optional(z.enum(["requested", "active", "done", "refused"])),
  overdue: z.optional(z.enum(["true", "false"])),
  /** `true`: overdue tasks and tasks finished after their due time */
  late: z.optional(z.enum(["true", "false"])),
  /** `mine`: tasks pushed to the caller; default: everything the caller may see */
  view: z.optional(z.enum(["all", "department", "mine"])),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

/**
 * Center staff (tasks:manage) see every task; department staff their department's; grid
 * workers the tasks pushed to them. `overdue=true` is active tasks past their due time.
 */
export async function listTasks(p: Principal, input: unknown, now: Date): Promise<Page<TaskView>> {
  const q = parse(TaskQuery, input, "query");
  const view = q.view ?? (hasPermission(p, "tasks:manage") ? "all" : hasPermission(p, "tasks:request") ? "department" : "mine");
  const map = (t: Task) => {
    if (q.state && t.state !== q.state) return undefined;
    const v = taskView(t, now);
    if (q.late && v.late !== (q.late === "true")) return undefined;
    return v;
  };
  if (view === "all" || (q.overdue === "true" && view !== "mine")) {
    if (!hasPermission(p, "tasks:manage") && view === "all") throw new ForbiddenError("Only the center sees every task");
    const deptFilter = view === "department" ? departmentOf(p) : undefined;
    if (q.overdue === "true") {
      return overdueTasksPage(now.toISOString(), deptFilter, q, map);
    }
    if (q.state) {
      return tasksInStatePage(q.state, q, map);
    }
    return allTasksPage(q, map);
  }
  if (view === "department") {
    return departmentTasksPage(departmentOf(p), q, map);
  }
  // mine: the worker rows, then the tasks they point at
  const page = await workerTaskRowsPage(p.id, q);
  const tasks = await tasksByIds(page.items.map((x) => x.taskId));
  const items = page.items.flatMap((x) => {
    const t = tasks.get(x.taskId);
    if (!t || (q.state && t.state !== q.state)) return [];
    const v = taskView(t, now);
    if (q.late && v.late !== (q.late === "true")) return [];
    return q.overdue === "true" && !v.overdue ? [] : [v];
  });
  return { items, nextCursor: page.nextCursor };
}
