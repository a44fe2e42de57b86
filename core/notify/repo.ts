import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { isConditionFailure } from "../db/errors.ts";
import { NotFoundError } from "../errors.ts";

/** Everyone assigned on one unit (any role): the duty repo's read of gsi2 `STAFF#<unitId>`, one Query a page. */
export { staffRowsOfUnit as staffRowsOf } from "../duty/repo.ts";
export type { StaffRow } from "../duty/staff.ts";

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
