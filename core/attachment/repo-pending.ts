/**
 * The pending-upload markers' table access (core/attachment/pending.ts has the rules): one item per
 * presigned upload not attached yet, `UPLOADS#PENDING / <issued at>#<key>`, state `pending` →
 * `expired` (by the retention job) → deleted.
 */
import { DeleteCommand, PutCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { isConditionFailure } from "../db/errors.ts";

export const PENDING_PK = "UPLOADS#PENDING";
/** An expired marker the job could not finish disappears by TTL after this long. */
const EXPIRED_MARKER_TTL_S = 7 * 86_400;

export type MarkerKey = { pk: string; sk: string };
export interface Marker extends MarkerKey {
  key: string;
  state: "pending" | "expired";
  issuedAt: string;
}

export async function putMarker(k: MarkerKey, key: string, issuedAt: string, now: Date): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...k, _et: "PendingUpload", key, state: "pending", issuedAt, recordedAt: now.toISOString() } }));
}

/** Delete a marker while it is absent or pending; false when the job has expired it. */
export async function deleteMarkerIfPending(k: MarkerKey): Promise<boolean> {
  try {
    await db().send(new DeleteCommand({ TableName: tableName(), Key: k, ConditionExpression: "attribute_not_exists(pk) OR #s = :pending", ExpressionAttributeNames: { "#s": "state" }, ExpressionAttributeValues: { ":pending": "pending" } }));
    return true;
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    return false;
  }
}

/** Delete an expired marker (its object is gone); nothing when someone else did. */
export async function dropExpiredMarker(m: MarkerKey): Promise<void> {
  await db()
    .send(new DeleteCommand({ TableName: tableName(), Key: { pk: m.pk, sk: m.sk }, ConditionExpression: "#s = :expired", ExpressionAttributeNames: { "#s": "state" }, ExpressionAttributeValues: { ":expired": "expired" } }))
    .catch((e) => {
      if (!isConditionFailure(e)) throw e;
    });
}

/** One page of the markers of uploads issued before `cutoff` (strongly consistent). */
export async function markersIssuedBefore(cutoff: string, start?: Record<string, unknown>): Promise<{ items: Marker[]; next?: Record<string, unknown> }> {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND sk < :cutoff",
      ExpressionAttributeValues: { ":pk": PENDING_PK, ":cutoff": cutoff },
      ConsistentRead: true,
      Limit: 200,
      ExclusiveStartKey: start,
    }),
  );
  return { items: (out.Items ?? []) as Marker[], next: out.LastEvaluatedKey };
}

/** Turn a pending marker expired with its audit row, in one transaction; false when it was attached meanwhile. */
export async function expireMarker(m: MarkerKey, now: Date, audit: unknown): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: { pk: m.pk, sk: m.sk },
              UpdateExpression: "SET #s = :expired, expiredAt = :now, expiresAt = :ttl",
              ConditionExpression: "#s = :pending",
              ExpressionAttributeNames: { "#s": "state" },
              ExpressionAttributeValues: { ":expired": "expired", ":pending": "pending", ":now": now.toISOString(), ":ttl": Math.floor(now.getTime() / 1000) + EXPIRED_MARKER_TTL_S },
            },
          },
          audit as any,
        ],
      }),
    );
    return true;
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    return false;
  }
}
