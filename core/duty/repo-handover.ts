/**
 * The task side of a staff handover (人走机留, core/user/handover.ts): the pending grids of active
 * tasks pushed to a leaving user, and moving each one to its successor. Every write is conditional
 * on what was read (a grid still pending with the same assignees), and the worker rows that list a
 * user's tasks are rebuilt from the task's grids, so a repeated or resumed run writes nothing twice.
 */
import { BatchGetCommand, DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure } from "../db/errors.ts";
import type { Task, TaskUnit } from "./tasks.ts";
import { getTask as readTask, taskUnits as unitsOfTask } from "./repo-tasks.ts";

const getTask = (id: string): Promise<Task | undefined> => readTask(id, true);

export interface PendingTaskUnit {
  taskId: string;
  title: string;
  dueAt: string;
  unitId: string;
  unitPath: string;
  unitName: string;
  unitCode: string;
  assignees: string[];
}

/** The worker rows of a user (`TASKS#WORKER#<userId>` on gsi1): task id and the grids listed. */
async function workerRows(userId: string): Promise<Array<{ taskId: string; unitIds: string[] }>> {
  const rows: Array<{ taskId: string; unitIds: string[] }> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.taskByWorker(userId, "", "").gsi1pk }, ExclusiveStartKey: start }),
    );
    for (const r of out.Items ?? []) rows.push({ taskId: r.taskId as string, unitIds: (r.unitIds as string[]) ?? [] });
    start = out.LastEvaluatedKey;
  } while (start);
  return rows;
}

async function getTaskUnits(taskId: string, unitIds: string[]): Promise<TaskUnit[]> {
  const found: TaskUnit[] = [];
  for (let i = 0; i < unitIds.length; i += 100) {
    const out = await db().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: unitIds.slice(i, i + 100).map((u) => keys.taskUnit(taskId, u)), ConsistentRead: true } } }));
    for (const r of out.Responses?.[tableName()] ?? []) found.push(strip<TaskUnit>(r)!);
  }
  return found;
}

/** Grids of active tasks still pending with `userId` among their assignees. */
export async function pendingTaskUnitsOf(userId: string): Promise<PendingTaskUnit[]> {
  const out: PendingTaskUnit[] = [];
  for (const row of await workerRows(userId)) {
    const t = await getTask(row.taskId);
    if (!t || t.state !== "active") continue;
    for (const u of await getTaskUnits(t.id, row.unitIds)) {
      if (u.status === "pending" && u.assignees.includes(userId)) {
        out.push({ taskId: t.id, title: t.title, dueAt: t.dueAt, unitId: u.unitId, unitPath: u.unitPath, unitName: u.unitName, unitCode: u.unitCode, assignees: u.assignees });
      }
    }
  }
  return out;
}

/**
 * Give one pending grid of a task from `from` to `to`: only while it is still pending with the
 * assignees read. Returns false when it changed meanwhile (completed, or already moved).
 */
export async function moveTaskUnit(u: PendingTaskUnit, from: string, to: string): Promise<boolean> {
  const next = [...new Set(u.assignees.map((a) => (a === from ? to : a)))];
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.taskUnit(u.taskId, u.unitId),
        UpdateExpression: "SET assignees = :next",
        ConditionExpression: "#st = :pending AND assignees = :old",
        ExpressionAttributeNames: { "#st": "status" },
        ExpressionAttributeValues: { ":next": next, ":pending": "pending", ":old": u.assignees },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/**
 * Rebuild the worker rows of a task for these users from its grids: a user's row lists the grids
 * they are assigned (pending or done); a user left with none loses the row (the task leaves their
 * list; grids they completed keep their name in `completedBy`).
 */
export async function rebuildTaskWorkers(taskId: string, userIds: string[]): Promise<void> {
  const t = await getTask(taskId);
  if (!t) return;
  const units = await unitsOfTask(taskId);
  for (const userId of new Set(userIds)) {
    const mine = units.filter((u) => u.assignees.includes(userId)).map((u) => u.unitId);
    if (!mine.length) {
      await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.taskWorker(taskId, userId) }));
      continue;
    }
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: item("TaskWorker", { ...keys.taskWorker(taskId, userId), ...keys.taskByWorker(userId, t.dueAt, taskId) }, { taskId, userId, unitIds: mine, title: t.title, dueAt: t.dueAt }),
      }),
    );
  }
}
