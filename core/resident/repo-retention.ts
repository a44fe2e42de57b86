import { QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import type { auditPut } from "../audit/entry.ts";
import type { Resident } from "./schema.ts";

/**
 * The table side of the residents' retention (core/resident/retention.ts): the last-seen index
 * (gsi1 `RESIDENTS#SEEN`, sorted by last sign-in) read up to a cut-off, and the conditional
 * delete of a resident with its phone reference and audit row.
 */

/** One page (at most `limit`) of residents last seen before `cutoff`, each with its last-seen sort key. */
export async function residentsSeenBefore(
  cutoff: string,
  limit: number,
  start: Record<string, unknown> | undefined,
): Promise<{ residents: { resident: Resident; seenKey: string }[]; next: Record<string, unknown> | undefined }> {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND gsi1sk < :cut",
      ExpressionAttributeValues: { ":pk": keys.residentSeen("", "").gsi1pk, ":cut": cutoff },
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  return { residents: (out.Items ?? []).map((raw) => ({ resident: strip<Resident>(raw)!, seenKey: String(raw.gsi1sk) })), next: out.LastEvaluatedKey };
}

/**
 * One transaction: the resident deleted if still unseen since it was read (a sign-in moves
 * gsi1sk) and at the version read, its phone reference (if still theirs), and the audit row.
 * false when a condition failed (deleted or seen meanwhile).
 */
export async function deleteUnseenResident(r: Resident, seenKey: string, audit: ReturnType<typeof auditPut>): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: tableName(), Key: keys.resident(r.id), ConditionExpression: "gsi1sk = :seen AND #v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":seen": seenKey, ":v": r.version } } },
          { Delete: { TableName: tableName(), Key: keys.residentPhone(r.phoneHash), ConditionExpression: "attribute_not_exists(pk) OR residentId = :id", ExpressionAttributeValues: { ":id": r.id } } },
          audit,
        ],
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    mapStorageError(e);
  }
}
