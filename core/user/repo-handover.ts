/**
 * Storage of a staff handover (人走机留, core/user/handover.ts): the handover record
 * (`USER#<id>` / `HANDOVER`, the job that runs it and its state), moving role assignments between
 * two users in one conditional transaction, and the counts the handover shows.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { jobItem } from "../job/repo.ts";
import { JOB_IDEMPOTENCY_SECONDS } from "../job/repo.ts";
import type { Job } from "../job/schema.ts";
import { sendStaffTransaction, staffRows } from "./repo.ts";
import { bumpConfigVersion } from "../config/repo.ts";
import { forgetStaffVersion } from "../config/staff-version.ts";
import type { Assignment } from "../auth/principal.ts";
import type { UserItem } from "./schema.ts";

export interface HandoverRecord {
  userId: string;
  jobId: string;
  /** null: each grid's leader (or the staff above it) takes the work */
  successorId: string | null;
  state: "running" | "done";
  startedAt: string;
  finishedAt?: string;
}

export async function getHandover(userId: string): Promise<HandoverRecord | undefined> {
  return strip<HandoverRecord>((await db().send(new GetCommand({ TableName: tableName(), Key: keys.userHandover(userId), ConsistentRead: true }))).Item);
}

/**
 * Store the handover's job and its record in one transaction: the record only when there is none
 * or the previous handover is done (one handover of a user runs at a time), with the caller's
 * Idempotency-Key. Returns false when another handover of the user started meanwhile.
 */
export async function insertHandover(job: Job, rec: HandoverRecord, idem?: { callerId: string; key: string; now: Date }): Promise<boolean> {
  const T = tableName();
  const ops: any[] = [
    { Put: { TableName: T, Item: jobItem(job), ConditionExpression: "attribute_not_exists(pk)" } },
    {
      Put: {
        TableName: T,
        Item: item("Handover", keys.userHandover(rec.userId), rec),
        ConditionExpression: "attribute_not_exists(pk) OR #st = :done",
        ExpressionAttributeNames: { "#st": "state" },
        ExpressionAttributeValues: { ":done": "done" },
      },
    },
  ];
  if (idem) {
    ops.push({
      Put: {
        TableName: T,
        Item: item("JobIdempotency", keys.jobIdempotency(idem.callerId, idem.key), { jobId: job.id, expiresAt: Math.floor(idem.now.getTime() / 1000) + JOB_IDEMPOTENCY_SECONDS }),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }
  try {
    await db().send(new TransactWriteCommand({ TransactItems: ops }));
    return true;
  } catch (e) {
    if (isConditionFailure(e) || (e as Error).name === "TransactionCanceledException") return false;
    mapStorageError(e);
  }
}

/** The update that marks a handover done, for the job's finishing transaction. */
export function handoverDoneOp(userId: string, jobId: string, at: string) {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.userHandover(userId),
      UpdateExpression: "SET #st = :done, finishedAt = :at",
      ConditionExpression: "jobId = :job",
      ExpressionAttributeNames: { "#st": "state" },
      ExpressionAttributeValues: { ":done": "done", ":at": at, ":job": jobId },
    },
  };
}

const same = (a: Assignment, b: Pick<Assignment, "role" | "unitId">) => a.role === b.role && a.unitId === b.unitId;

/**
 * Move `moving` (role assignments of `from`) to `to`, or drop them when `to` is absent, in one
 * transaction guarded by both users' versions (and `to` still active). `from` keeps a note of what
 * it handed over (`handedOverFrom`) and its sessions end (a change of roles). Returns false when
 * either user changed meanwhile (the caller reads again and retries).
 */
export async function moveAssignments(from: UserItem, to: UserItem | undefined, moving: Assignment[], now: Date): Promise<boolean> {
  const T = tableName();
  const at = now.toISOString();
  const kept = from.assignments.filter((a) => !moving.some((m) => same(a, m)));
  const fromNext: UserItem & { handedOverFrom?: Assignment[] } = {
    ...from,
    assignments: kept,
    handedOverFrom: [...((from as { handedOverFrom?: Assignment[] }).handedOverFrom ?? []).filter((a) => !moving.some((m) => same(a, m))), ...moving],
    sessionVersion: (from.sessionVersion ?? 0) + 1,
    version: from.version + 1,
    updatedAt: at,
  };
  const ops: any[] = [
    {
      Put: {
        TableName: T,
        Item: item("User", { ...keys.user(from.id), ...keys.userList(from.username.toLowerCase()) }, fromNext),
        ConditionExpression: "#v = :v",
        ExpressionAttributeNames: { "#v": "version" },
        ExpressionAttributeValues: { ":v": from.version },
      },
    },
    ...moving.map((a) => ({ Delete: { TableName: T, Key: keys.staff(from.id, a.role, a.unitId) } })),
  ];
  if (to) {
    const added = moving.filter((m) => !to.assignments.some((a) => same(a, m))).map((m) => ({ ...m, since: at }));
    const toNext: UserItem = { ...to, assignments: [...to.assignments, ...added], version: to.version + 1, updatedAt: at };
    ops.push({
      Put: {
        TableName: T,
        Item: item("User", { ...keys.user(to.id), ...keys.userList(to.username.toLowerCase()) }, toNext),
        ConditionExpression: "#v = :v AND active = :t",
        ExpressionAttributeNames: { "#v": "version" },
        ExpressionAttributeValues: { ":v": to.version, ":t": true },
      },
    });
    for (const Item of staffRows(to.id, added)) ops.push({ Put: { TableName: T, Item } });
  }
  // role rows moved: the staff version moves with them (core/config/staff-version.ts)
  if (moving.length) ops.push(bumpConfigVersion("staff", now));
  try {
    await sendStaffTransaction({ TransactItems: ops });
    if (moving.length) forgetStaffVersion();
    return true;
  } catch (e) {
    if (isConditionFailure(e) || (e as Error).name === "TransactionCanceledException") return false;
    mapStorageError(e);
  }
}

async function count(input: { IndexName: string; KeyConditionExpression: string; FilterExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues: Record<string, unknown> }): Promise<number> {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(new QueryCommand({ TableName: tableName(), ...input, Select: "COUNT", ExclusiveStartKey: start }));
    n += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return n;
}

/** Households registered under a unit path (the grid's visit schedule), a COUNT on gsi1 `HOUSEHOLDS`. */
export function householdCount(unitPath: string): Promise<number> {
  return count({ IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)", ExpressionAttributeValues: { ":pk": keys.householdList("", "").gsi1pk, ":p": unitPath } });
}

/**
 * Open cases owned by a unit or a person: the county's open cases (gsi1 `CASES#OPEN`) filtered by
 * owner. The by-owner index (gsi3) holds department-owned cases only (#16, core/case/repo.ts
 * `ownerIndexKeys`: a unit- or person-owned case is never listed by its owner, and writing it there
 * cost an index write on every action); a handover is rare, so it reads the open cases instead
 * (every open case once, wherever its owner is in the tree).
 */
export function openCasesOwned(kind: "unit" | "user", id: string): Promise<number> {
  return count({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk",
    FilterExpression: "#o.#k = :k AND #o.#i = :id",
    ExpressionAttributeNames: { "#o": "owner", "#k": "kind", "#i": "id" },
    ExpressionAttributeValues: { ":pk": keys.caseByUnit(true, "", "", "", "").gsi1pk, ":k": kind, ":id": id },
  });
}

/** Every user (the staff list, gsi1 `USERS`), for choosing a successor; a county has hundreds. */
export async function allUsers(max = 5000): Promise<UserItem[]> {
  const out: UserItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": "USERS" }, ExclusiveStartKey: start }));
    for (const r of page.Items ?? []) out.push(strip<UserItem>(r)!);
    start = page.LastEvaluatedKey;
  } while (start && out.length < max);
  return out;
}
