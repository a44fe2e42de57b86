import { BatchWriteCommand, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryAll, queryPage, type Page } from "../db/page.ts";
import { atVersion } from "../db/conditions.ts";
import { ConflictError } from "../errors.ts";
import type { auditPut } from "../audit/entry.ts";
import { commit, put } from "../registry/repo.ts";
import type { DutyNotice } from "./notice.ts";
import type { StaffRow } from "./staff.ts";
import type { TaskType } from "./tasktypes.ts";
import type { VisitState } from "./state.ts";
import type { Visit } from "./visits.ts";

/**
 * The duties' table access (#16, the repo is the one door): the duty configuration, duty notices
 * in the inbox, the staff rows of a unit, task types and household visits. Patrols:
 * core/duty/repo-patrols.ts; tasks: core/duty/repo-tasks.ts; handovers: repo-handover.ts.
 */

type PageAsked = { limit: number; cursor?: string };

// ------------------------------------------------------------------ configuration

/** The stored duty configuration (raw, unparsed), or undefined while the defaults apply. */
export async function getStoredDutyConfig(consistent: boolean): Promise<Record<string, unknown> | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.dutyConfig(), ConsistentRead: consistent }));
  return out.Item ? strip(out.Item) : undefined;
}

/**
 * Save the duty configuration with its audit row, only while the stored version is still
 * `expected` (0: none is stored). 409 with `current()` when someone saved meanwhile.
 */
export async function saveDutyConfig<T extends { version: number }>(next: T, expected: number, audit: ReturnType<typeof auditPut>, current: () => Promise<unknown>): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: item("DutyConfig", keys.dutyConfig(), next), ...atVersion(expected === 0 ? undefined : expected) } },
          audit,
        ],
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) throw new ConflictError("The duty configuration was changed by someone else; reload and retry", { current: await current() });
    mapStorageError(e);
  }
}

// ------------------------------------------------------------------ notices

/**
 * Duty notices into the users' inboxes (`INBOX#<userId>`, the case notifications' partition, see
 * core/notify/inbox.ts), BatchWriteItem puts of 25 (unprocessed ones retried), 90 days TTL. The
 * caller gives them without repeats. Returns how many were written.
 */
export async function putNotices(notices: DutyNotice[]): Promise<number> {
  const items = notices.map((n) => ({
    PutRequest: {
      Item: {
        ...keys.inboxItem(n.userId, n.at, n.id),
        _et: "Notification",
        id: `${n.at}#${n.id}`,
        userId: n.userId,
        eventId: n.id,
        caseId: "",
        caseNumber: "",
        type: n.type,
        at: n.at,
        read: false,
        reason: n.reason,
        title: n.title,
        data: n.data ?? {},
        expiresAt: Math.floor(Date.parse(n.at) / 1000) + 90 * 86400,
      },
    },
  }));
  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, any> | undefined = { [tableName()]: items.slice(i, i + 25) };
    while (request && Object.keys(request).length) {
      const res: { UnprocessedItems?: Record<string, any> } = await db().send(new BatchWriteCommand({ RequestItems: request }));
      request = res.UnprocessedItems;
    }
  }
  return items.length;
}

// ------------------------------------------------------------------ staff

/** The staff rows of a unit (gsi2 `STAFF#<unitId>`), read to the end. */
export async function staffRowsOfUnit(unitId: string): Promise<StaffRow[]> {
  const rows = await queryAll({ IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": keys.staffOfUnit(unitId, "").gsi2pk } });
  return rows.map((r) => ({ userId: r.userId, role: r.role, unitId: r.unitId, unitPath: r.unitPath, departmentId: r.departmentId }));
}

// ------------------------------------------------------------------ task types

export const taskTypeItem = (t: TaskType) => item("TaskType", { ...keys.taskType(t.id), ...keys.taskTypeList(t.category, t.code) }, t);

/** The unique-code reference of a task type (created with `attribute_not_exists`). */
export const taskTypeCodeItem = (t: TaskType) => item("TaskTypeCode", keys.taskTypeCode(t.code), { taskTypeId: t.id });

export async function getTaskType(id: string, consistent = false): Promise<TaskType | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.taskType(id), ConsistentRead: consistent }));
  return strip<TaskType>(out.Item);
}

/** The catalog by category, then code (gsi1 `TASKTYPES`); `category` narrows to one, `active` filters. */
export function taskTypesPage(q: PageAsked & { category?: string; active?: "true" | "false" }): Promise<Page<TaskType>> {
  return queryPage<TaskType>(
    {
      IndexName: "gsi1",
      KeyConditionExpression: q.category ? "gsi1pk = :pk AND begins_with(gsi1sk, :c)" : "gsi1pk = :pk",
      FilterExpression: q.active ? "#a = :a" : undefined,
      ExpressionAttributeNames: q.active ? { "#a": "active" } : undefined,
      ExpressionAttributeValues: { ":pk": "TASKTYPES", ...(q.category ? { ":c": `${q.category}#` } : {}), ...(q.active ? { ":a": q.active === "true" } : {}) },
    },
    q,
  );
}

// ------------------------------------------------------------------ visits

/**
 * Store a visit and move the household's last visit forward (never back): one transaction with the
 * visit-state update (`lastVisitAt` older or absent, the state present); when a later visit is
 * already recorded (or the state is missing), the visit alone.
 */
export async function putVisit(visit: Visit, householdClass: string): Promise<void> {
  const visitPut = put(item("Visit", { ...keys.visit(visit.householdId, visit.at, visit.id), ...keys.visitByWorker(visit.userId, visit.at, visit.id) }, visit));
  const due = keys.visitDue(householdClass, visit.at, visit.householdId);
  const advance = {
    Update: {
      TableName: tableName(),
      Key: keys.visitState(visit.householdId),
      UpdateExpression: "SET #l = :at, gsi2sk = :sk",
      ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(#l) OR #l = :null OR #l < :at)",
      ExpressionAttributeNames: { "#l": "lastVisitAt" },
      ExpressionAttributeValues: { ":at": visit.at, ":sk": due.gsi2sk, ":null": null },
    },
  };
  // a later visit already recorded (or the state is missing): keep the visit, leave the state
  const later = new Error("later visit");
  try {
    await commit([visitPut, advance], async () => {
      throw later;
    });
  } catch (e) {
    if (e !== later) throw e;
    await commit([visitPut]);
  }
}

/** One visit, addressed by household, the visit's time (its sort key) and id: one GetItem. */
export async function getVisit(householdId: string, at: string, visitId: string): Promise<Visit | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.visit(householdId, at, visitId) }));
  return strip<Visit>(out.Item);
}

/** A household's visits, newest first (its partition, `V#…`). */
export function visitsOfHouseholdPage(householdId: string, page: PageAsked): Promise<Page<Visit>> {
  return queryPage<Visit>(
    { KeyConditionExpression: "pk = :pk AND begins_with(sk, :v)", ExpressionAttributeValues: { ":pk": keys.household(householdId).pk, ":v": keys.visitPrefix }, ScanIndexForward: false },
    page,
  );
}

/** A worker's visits, newest first (gsi1 by worker). */
export function visitsOfWorkerPage(userId: string, page: PageAsked): Promise<Page<Visit>> {
  return queryPage<Visit>({ IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.visitByWorker(userId, "", "").gsi1pk }, ScanIndexForward: false }, page);
}

/** Visit states of a household class last visited (or registered) before `cutoff` (gsi2 visit-due), under `unitPath` when given; read to the end. */
export async function visitStatesDueBefore(cls: string, cutoff: string, unitPath: string | undefined): Promise<VisitState[]> {
  const rows = await queryAll({
    IndexName: "gsi2",
    KeyConditionExpression: "gsi2pk = :pk AND gsi2sk < :cut",
    FilterExpression: unitPath ? "begins_with(#p, :p)" : undefined,
    ExpressionAttributeNames: unitPath ? { "#p": "unitPath" } : undefined,
    ExpressionAttributeValues: { ":pk": keys.visitDue(cls, "", "").gsi2pk, ":cut": cutoff, ...(unitPath ? { ":p": unitPath } : {}) },
  });
  return rows.map((raw) => strip<VisitState>(raw)!);
}
