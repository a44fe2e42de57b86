import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { isConditionFailure } from "../db/errors.ts";
import { ownerIndexKeys } from "../case/owner-index.ts";
import type { Case } from "../case/schema.ts";

/**
 * The table side of the unit-move job (core/unit/move-job.ts): the pages of records still under
 * the old path and their conditional rewrites (each by its version and/or its old path), so a
 * record written twice is written once.
 */

/** Conditional update: true when written, false when someone else wrote the record first. */
async function updateIf(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
  try {
    await db().send(new UpdateCommand(input));
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** A versioned record keyed on gsi1 by its path: new path and index key, version + 1, only if unchanged. */
export const repathVersioned = (key: Record<string, string>, raw: Record<string, unknown>, gsi1sk: string, newPath: string, at: string) =>
  updateIf({
    TableName: tableName(),
    Key: key,
    UpdateExpression: "SET unitPath = :np, gsi1sk = :sk, #v = #v + :one, updatedAt = :at",
    ConditionExpression: "#v = :v AND unitPath = :op",
    ExpressionAttributeNames: { "#v": "version" },
    ExpressionAttributeValues: { ":np": newPath, ":sk": gsi1sk, ":one": 1, ":at": at, ":v": raw.version, ":op": raw.unitPath },
  });

/**
 * A case re-pathed (`next`, from core/case/repath.ts) at the version and path read, with its owner
 * index; with `live` (the live open-count shifts) in one transaction, else one UpdateItem.
 */
export async function writeRepathedCase(c: Case, next: Case, live: any[], at: string): Promise<boolean> {
  // the by-owner index holds department-owned cases only (core/case/repo.ts ownerIndexKeys, #16)
  const owner = ownerIndexKeys(next.owner, c.createdAt, c.id);
  const caseUpdate = {
    TableName: tableName(),
    Key: keys.case(c.id),
    UpdateExpression:
      "SET unitPath = :np, gsi1sk = :sk, #o = :o, #v = #v + :one, updatedAt = :at" + (owner ? ", gsi3pk = :g3, gsi3sk = :g3s" : "") + (next.handler ? ", handler = :h" : "") + (owner ? "" : " REMOVE gsi3pk, gsi3sk"),
    ConditionExpression: "#v = :v AND unitPath = :op",
    ExpressionAttributeNames: { "#v": "version", "#o": "owner" },
    ExpressionAttributeValues: {
      ":np": next.unitPath,
      ":sk": keys.caseByUnit(true, "", next.unitPath, c.createdAt, c.id).gsi1sk,
      ":o": next.owner,
      ...(owner ? { ":g3": owner.gsi3pk, ":g3s": owner.gsi3sk } : {}),
      ":one": 1,
      ":at": at,
      ":v": c.version,
      ":op": c.unitPath,
      ...(next.handler ? { ":h": next.handler } : {}),
    },
  };
  if (!live.length) return updateIf(caseUpdate);
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [{ Update: caseUpdate }, ...live.map((u) => ({ Update: u }))] }));
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** The household's visit state follows its path (the overdue filter), if it exists and still has the old one. */
export const repathVisitState = (householdId: string, newPath: string, oldPath: unknown) =>
  updateIf({ TableName: tableName(), Key: keys.visitState(householdId), UpdateExpression: "SET unitPath = :np", ConditionExpression: "attribute_exists(pk) AND unitPath = :op", ExpressionAttributeValues: { ":np": newPath, ":op": oldPath } });

/** A record whose only path is `unitPath`: the new one, only if it still has the old one (and its version, when it has one). */
export const repathRecord = (raw: Record<string, unknown>, newPath: string, at: string, versioned: boolean) =>
  updateIf({
    TableName: tableName(),
    Key: { pk: raw.pk as string, sk: raw.sk as string },
    UpdateExpression: versioned ? "SET unitPath = :np, #v = #v + :one, updatedAt = :at" : "SET unitPath = :np",
    ConditionExpression: versioned ? "#v = :v AND unitPath = :op" : "unitPath = :op",
    ...(versioned ? { ExpressionAttributeNames: { "#v": "version" } } : {}),
    ExpressionAttributeValues: { ":np": newPath, ":op": raw.unitPath, ...(versioned ? { ":one": 1, ":at": at, ":v": raw.version } : {}) },
  });

/** The role rows of a unit (gsi2 `STAFF#<unitId>`, one Query). */
export async function staffRowsOf(unitId: string): Promise<Record<string, unknown>[]> {
  const out = await db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": keys.staffOfUnit(unitId, "").gsi2pk } }));
  return out.Items ?? [];
}

/** Ids of the households listed under a path prefix (gsi1 `HOUSEHOLDS`, all pages). */
export async function householdIdsUnder(prefix: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)", ExpressionAttributeValues: { ":pk": keys.householdList("", "").gsi1pk, ":p": prefix }, ExclusiveStartKey: start }));
    for (const h of r.Items ?? []) ids.push(h.id as string);
    start = r.LastEvaluatedKey;
  } while (start);
  return ids;
}

/** Every task's id and grids (gsi1 task list, projected, all pages). */
export async function taskGrids(): Promise<{ id: string; gridUnitIds: string[] }[]> {
  const out: { id: string; gridUnitIds: string[] }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.taskList("", "").gsi1pk }, ProjectionExpression: "id, gridUnitIds", ExclusiveStartKey: start }));
    for (const t of r.Items ?? []) out.push({ id: t.id as string, gridUnitIds: (t.gridUnitIds ?? []) as string[] });
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
}

export interface SweepSource {
  IndexName?: string;
  KeyConditionExpression: string;
  ExpressionAttributeValues: Record<string, unknown>;
  filter?: string;
}

/** One page of a sweep source, only records still under `oldPath` (`count`: how many, over the whole source). */
export async function sweepPage(src: SweepSource, oldPath: string, start: Record<string, unknown> | undefined, count = false) {
  return db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: src.IndexName,
      KeyConditionExpression: src.KeyConditionExpression,
      FilterExpression: src.filter ? `begins_with(unitPath, :old) AND ${src.filter}` : "begins_with(unitPath, :old)",
      ExpressionAttributeValues: { ...src.ExpressionAttributeValues, ":old": oldPath },
      ExclusiveStartKey: start,
      ...(count ? { Select: "COUNT" as const } : { Limit: 100 }),
    }),
  );
}

/** The first `limit` records of a gsi1 list under a path prefix, or (`count`) how many there are over all pages. */
export async function listUnder(gsi1pk: string, prefix: string, limit: number, count = false): Promise<Record<string, unknown>[] | number> {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
        ExpressionAttributeValues: { ":pk": gsi1pk, ":p": prefix },
        ...(count ? { Select: "COUNT" as const, ExclusiveStartKey: start } : { Limit: limit }),
      }),
    );
    if (!count) return out.Items ?? [];
    n += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return n;
}

/** A role row's path moved, only if it still has the old one. */
export const repathStaffRow = (r: Record<string, unknown>, newPath: string) =>
  updateIf({ TableName: tableName(), Key: { pk: r.pk as string, sk: r.sk as string }, UpdateExpression: "SET unitPath = :np", ConditionExpression: "unitPath = :op", ExpressionAttributeValues: { ":np": newPath, ":op": r.unitPath } });

/** The user item as stored (consistent GetItem). */
export async function userRecord(id: string): Promise<Record<string, unknown> | undefined> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: keys.user(id), ConsistentRead: true }))).Item;
}

/** The user's assignments replaced at the version read (version + 1). */
export const setAssignments = (id: string, assignments: unknown, at: string, version: unknown) =>
  updateIf({ TableName: tableName(), Key: keys.user(id), UpdateExpression: "SET assignments = :a, #v = #v + :one, updatedAt = :at", ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":a": assignments, ":one": 1, ":at": at, ":v": version } });
