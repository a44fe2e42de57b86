import { QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import type { auditPut } from "../audit/entry.ts";
import type { PersonRecord } from "./schema.ts";

/** The table side of deleting people who moved away (core/registry/retention.ts). */

/** Moved-away markers older than `cutoff` (ISO), oldest first: one Query on `REGISTRY#MOVEDAWAY`. */
export async function movedAwayBefore(cutoff: string, limit: number, start?: Record<string, unknown>): Promise<{ items: Array<{ personId: string; at: string }>; next?: Record<string, unknown> }> {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND sk < :cut",
      ExpressionAttributeValues: { ":pk": keys.movedAway("", "").pk, ":cut": cutoff },
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  return { items: (out.Items ?? []).map((i) => ({ personId: String(i.personId), at: String(i.at) })), next: out.LastEvaluatedKey };
}

/**
 * Delete a moved-away person, their ID reference and marker, with the audit row, in one
 * transaction — only if the person is still at the version read and still marked with `at`.
 * False when a condition failed (changed or deleted meanwhile).
 */
export async function deleteMovedAway(p: PersonRecord, at: string, audit: ReturnType<typeof auditPut>): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: tableName(), Key: keys.person(p.id), ConditionExpression: "#v = :v AND movedAwayAt = :at", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":v": p.version, ":at": at } } },
          { Delete: { TableName: tableName(), Key: keys.personIdRef(p.idNumberHash), ConditionExpression: "attribute_not_exists(pk) OR personId = :id", ExpressionAttributeValues: { ":id": p.id } } },
          { Delete: { TableName: tableName(), Key: keys.movedAway(at, p.id) } },
          audit,
        ],
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    mapStorageError(e);
    return false;
  }
}

/** A marker whose person is gone or no longer marked with it (deleted by hand, marked back). */
export async function dropMovedAwayMarker(at: string, personId: string): Promise<void> {
  await db().send(new TransactWriteCommand({ TransactItems: [{ Delete: { TableName: tableName(), Key: keys.movedAway(at, personId) } }] }));
}
