import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryAll, queryPage, type Page } from "../db/page.ts";
import { ConflictError } from "../errors.ts";
import type { auditPut } from "../audit/entry.ts";
import { commit, put } from "../registry/repo.ts";
import type { Task, TaskState, TaskUnit } from "./tasks.ts";

/**
 * The tasks' table access (#16, the repo is the one door; core/duty/tasks.ts states the rules): a
 * task `TASK#<id>` (META) with its grids (`U#<unitId>`) and worker rows in its partition, listed
 * newest first (gsi1 `TASKS`), by state and due time (gsi2), by department (gsi3) and by worker
 * (gsi1 `TASKS#WORKER#<userId>`). The handover's moves: core/duty/repo-handover.ts.
 */

type PageAsked = { limit: number; cursor?: string };

export function taskItem(t: Task) {
  return item("Task", { ...keys.task(t.id), ...keys.taskList(t.createdAt, t.id), ...keys.taskByState(t.state, t.dueAt, t.id), ...keys.taskByDepartment(t.departmentId, t.createdAt, t.id) }, t);
}

export async function getTask(id: string, consistent = false): Promise<Task | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.task(id), ConsistentRead: consistent }));
  return strip<Task>(out.Item);
}

/** Every grid of a task (its partition, `U#…`, strongly consistent). */
export async function taskUnits(id: string): Promise<TaskUnit[]> {
  const rows = await queryAll({ KeyConditionExpression: "pk = :pk AND begins_with(sk, :u)", ExpressionAttributeValues: { ":pk": keys.task(id).pk, ":u": keys.taskUnitPrefix }, ConsistentRead: true });
  return rows.map((r) => strip<TaskUnit>(r)!);
}

/** One grid of a task. */
export async function getTaskUnit(id: string, unitId: string, consistent: boolean): Promise<TaskUnit | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.taskUnit(id, unitId), ...(consistent ? { ConsistentRead: true } : {}) }));
  return strip<TaskUnit>(out.Item ?? undefined);
}

/**
 * A transaction item moving a task from state `from` with its version read (`t.version`): sets the
 * given attributes, bumps the version and `updatedAt`.
 */
export const transition = (t: Task, from: TaskState, set: Record<string, unknown>, now: Date) => {
  const names: Record<string, string> = { "#s": "state", "#v": "version" };
  const values: Record<string, unknown> = { ":from": from, ":v": t.version, ":one": 1, ":at": now.toISOString() };
  const sets = ["#v = #v + :one", "updatedAt = :at"];
  for (const [k, v] of Object.entries(set)) {
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    sets.push(`#${k} = :${k}`);
  }
  return {
    Update: {
      TableName: tableName(),
      Key: keys.task(t.id),
      UpdateExpression: `SET ${sets.join(", ")}`,
      ConditionExpression: "#s = :from AND #v = :v",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

/** Was the task pushed to this user? (its worker row exists) */
export async function isTaskWorker(taskId: string, userId: string): Promise<boolean> {
  const mine = await db().send(new GetCommand({ TableName: tableName(), Key: keys.taskWorker(taskId, userId) }));
  return Boolean(mine.Item);
}

/** A task's grids, each only if absent (a repeated push never resets a completed grid), 20 at a time. */
export async function putTaskUnitsIfAbsent(unitItems: TaskUnit[]): Promise<void> {
  for (let i = 0; i < unitItems.length; i += 20) {
    await Promise.all(
      unitItems.slice(i, i + 20).map((u) =>
        db()
          .send(new PutCommand({ TableName: tableName(), Item: item("TaskUnit", keys.taskUnit(u.taskId, u.unitId), u), ConditionExpression: "attribute_not_exists(pk)" }))
          .catch((e) => {
            if (!isConditionFailure(e)) throw e;
          }),
      ),
    );
  }
}

/** The task's worker rows (user → the grids pushed to them), 20 at a time. */
export async function putTaskWorkers(t: Pick<Task, "id" | "title" | "dueAt">, workers: Array<[string, string[]]>): Promise<void> {
  for (let i = 0; i < workers.length; i += 20) {
    await Promise.all(
      workers.slice(i, i + 20).map(([userId, unitIds]) =>
        db().send(
          new PutCommand({
            TableName: tableName(),
            Item: item("TaskWorker", { ...keys.taskWorker(t.id, userId), ...keys.taskByWorker(userId, t.dueAt, t.id) }, { taskId: t.id, userId, unitIds, title: t.title, dueAt: t.dueAt }),
          }),
        ),
      ),
    );
  }
}

/** The push of a task finished. */
export async function markFannedOut(id: string): Promise<void> {
  await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.task(id), UpdateExpression: "SET fannedOut = :t", ExpressionAttributeValues: { ":t": true } }));
}

/**
 * A grid done, in one transaction with its audit row: the grid only while still pending and on
 * the path it was read with (a unit move re-paths task units meanwhile, core/unit/move-job.ts),
 * the task's counters (`lateUnits` too when late) only while it is active. 409 otherwise.
 */
export async function commitUnitDone(id: string, unitId: string, done: TaskUnit, readPath: string, late: boolean, at: string, audit: ReturnType<typeof auditPut>): Promise<void> {
  await commit(
    [
      put(item("TaskUnit", keys.taskUnit(id, unitId), done), "#st = :pending AND unitPath = :up", { ":pending": "pending", ":up": readPath }, { "#st": "status" }),
      {
        Update: {
          TableName: tableName(),
          Key: keys.task(id),
          UpdateExpression: late ? "ADD doneUnits :one, lateUnits :one SET updatedAt = :at" : "ADD doneUnits :one SET updatedAt = :at",
          ConditionExpression: "#s = :active",
          ExpressionAttributeNames: { "#s": "state" },
          ExpressionAttributeValues: { ":one": 1, ":at": at, ":active": "active" },
        },
      },
      audit,
    ],
    async () => {
      throw new ConflictError("This grid was completed or moved meanwhile, or the task is no longer active; read it again");
    },
  );
}

/** Mark an active task done once every grid is: false when it was not (or no longer) active with all grids done. */
export async function markTaskDone(id: string, dueAt: string, at: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.task(id),
        UpdateExpression: "SET #s = :done, gsi2pk = :g, completedAt = :at",
        ConditionExpression: "#s = :active AND doneUnits >= totalUnits",
        ExpressionAttributeNames: { "#s": "state" },
        ExpressionAttributeValues: { ":done": "done", ":g": keys.taskByState("done", dueAt, id).gsi2pk, ":at": at, ":active": "active" },
      }),
    );
    return true;
  } catch (e) {
    if (!isConditionFailure(e)) mapStorageError(e);
    return false;
  }
}

/** Tasks by id (one BatchGetItem per 100; missing ids are absent). */
export async function tasksByIds(ids: string[]): Promise<Map<string, Task>> {
  const found = new Map<string, Task>();
  for (let i = 0; i < ids.length; i += 100) {
    const out = await db().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: ids.slice(i, i + 100).map((id) => keys.task(id)) } } }));
    for (const r of out.Responses?.[tableName()] ?? []) found.set(r.id as string, strip<Task>(r)!);
  }
  return found;
}

type TaskMap<T> = (t: Task) => T | undefined;
const mapped =
  <T>(map: TaskMap<T>) =>
  (raw: Record<string, unknown>) =>
    map(strip<Task>(raw)!);

/** Active tasks due before `now` (gsi2 by state and due time), of one department when given. */
export function overdueTasksPage<T>(now: string, departmentId: string | undefined, page: PageAsked, map: TaskMap<T>): Promise<Page<T>> {
  const dept = departmentId ? { expr: "departmentId = :d", values: { ":d": departmentId } } : undefined;
  return queryPage<T>(
    {
      IndexName: "gsi2",
      KeyConditionExpression: "gsi2pk = :pk AND gsi2sk < :now",
      FilterExpression: dept?.expr,
      ExpressionAttributeValues: { ":pk": keys.taskByState("active", "", "").gsi2pk, ":now": now, ...dept?.values },
    },
    page,
    { map: mapped(map) },
  );
}

/** Tasks in a state, by due time (gsi2). */
export function tasksInStatePage<T>(state: TaskState, page: PageAsked, map: TaskMap<T>): Promise<Page<T>> {
  return queryPage<T>({ IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": keys.taskByState(state, "", "").gsi2pk } }, page, { map: mapped(map) });
}

/** Every task, newest first (gsi1 `TASKS`). */
export function allTasksPage<T>(page: PageAsked, map: TaskMap<T>): Promise<Page<T>> {
  return queryPage<T>({ IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": "TASKS" }, ScanIndexForward: false }, page, { map: mapped(map) });
}

/** A department's tasks, newest first (gsi3). */
export function departmentTasksPage<T>(departmentId: string, page: PageAsked, map: TaskMap<T>): Promise<Page<T>> {
  return queryPage<T>(
    { IndexName: "gsi3", KeyConditionExpression: "gsi3pk = :pk", ExpressionAttributeValues: { ":pk": keys.taskByDepartment(departmentId, "", "").gsi3pk }, ScanIndexForward: false },
    page,
    { map: mapped(map) },
  );
}

/** A page of the worker rows of a user (gsi1 `TASKS#WORKER#<userId>`): the tasks pushed to them. */
export function workerTaskRowsPage(userId: string, page: PageAsked): Promise<Page<{ taskId: string }>> {
  return queryPage<{ taskId: string }>({ IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.taskByWorker(userId, "", "").gsi1pk } }, page);
}
