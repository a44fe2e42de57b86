import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { isConditionFailure } from "../db/errors.ts";
import { NotFoundError } from "../errors.ts";

/** A role row of one unit (gsi2 `STAFF#<unitId>`). */
export interface StaffRow {
  userId: string;
  role: string;
  departmentId?: string;
}

/** Everyone assigned on one unit (any role): one Query of gsi2 `STAFF#<unitId>`. */
export async function staffRowsOf(unitId: string): Promise<StaffRow[]> {
  const rows: StaffRow[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({ TableName: tableName(), IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": keys.staffOfUnit(unitId, "").gsi2pk }, ExclusiveStartKey: start }),
    );
    for (const r of out.Items ?? []) rows.push({ userId: r.userId as string, role: r.role as string, departmentId: r.departmentId as string | undefined });
    start = out.LastEvaluatedKey;
  } while (start);
  return rows;
}

/** The inbox item of a user's notification. */
export const inboxKey = (userId: string, at: string, eventId: string) => ({ pk: `INBOX#${userId}`, sk: `${at}#${eventId}` });

/** Mark one notification read (404 when it is not the user's). */
export async function markInboxRead(userId: string, id: string): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({ TableName: tableName(), Key: { pk: `INBOX#${userId}`, sk: id }, UpdateExpression: "SET #r = :t", ConditionExpression: "attribute_exists(pk)", ExpressionAttributeNames: { "#r": "read" }, ExpressionAttributeValues: { ":t": true } }),
    );
  } catch (e) {
    if (isConditionFailure(e)) throw new NotFoundError("Notification not found");
    throw e;
  }
}
