/**
 * Markers of stored objects that are to be deleted some day (core/attachment/expiry.ts has the
 * rules): one item per object, `<partition> / <since>#<key>`, state `<live state>` → `expired` (by
 * the retention job) → deleted. Pending uploads (`UPLOADS#PENDING`, live state `pending`) and duty
 * photos (`DUTY#PHOTOS`, live state `due`) use them.
 */
import { DeleteCommand, PutCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { isConditionFailure } from "../db/errors.ts";

/** An expired marker the job could not finish disappears by TTL after this long. */
const EXPIRED_MARKER_TTL_S = 7 * 86_400;

export type MarkerKey = { pk: string; sk: string };
export type Marker = MarkerKey & { key: string; state: string } & Record<string, unknown>;

export async function putMarker(k: MarkerKey, fields: Record<string, unknown>): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...fields, ...k } }));
}

/** Delete a marker while it is absent or in `state`; false when the job has expired it. */
export async function deleteMarkerIn(k: MarkerKey, state: string): Promise<boolean> {
  try {
    await db().send(new DeleteCommand({ TableName: tableName(), Key: k, ConditionExpression: "attribute_not_exists(pk) OR #s = :live", ExpressionAttributeNames: { "#s": "state" }, ExpressionAttributeValues: { ":live": state } }));
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

/** One page of a partition's markers with a sort key before `cutoff` (strongly consistent). */
export async function markersBefore(pk: string, cutoff: string, start?: Record<string, unknown>): Promise<{ items: Marker[]; next?: Record<string, unknown> }> {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND sk < :cutoff",
      ExpressionAttributeValues: { ":pk": pk, ":cutoff": cutoff },
      ConsistentRead: true,
      Limit: 200,
      ExclusiveStartKey: start,
    }),
  );
  return { items: (out.Items ?? []) as Marker[], next: out.LastEvaluatedKey };
}

/** Turn a live marker expired with its audit row, in one transaction; false when it left its live state meanwhile. */
export async function expireMarker(m: MarkerKey, live: string, now: Date, audit: unknown): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: { pk: m.pk, sk: m.sk },
              UpdateExpression: "SET #s = :expired, expiredAt = :now, expiresAt = :ttl",
              ConditionExpression: "#s = :live",
              ExpressionAttributeNames: { "#s": "state" },
              ExpressionAttributeValues: { ":expired": "expired", ":live": live, ":now": now.toISOString(), ":ttl": Math.floor(now.getTime() / 1000) + EXPIRED_MARKER_TTL_S },
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
