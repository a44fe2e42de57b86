import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { isConditionFailure } from "../db/errors.ts";

/**
 * The table side of the registry's quotas (core/registry/unit-quota.ts, quota-alert.ts): the
 * per-community reveal counter and the once-a-day alert counter. Both items expire by TTL.
 */

export type UnitReveal = { taken: true; n: number } | { taken: false; alreadyCounted: boolean };

/**
 * Count `record` against a community's day: one conditional `ADD n 1, recs {record}` if `n < limit`
 * and the record is not counted yet (the returned `n` is the count taken). On a failed condition a
 * consistent read tells a record counted earlier today (no charge) from a full day.
 */
export async function takeUnitReveal(unitId: string, day: string, record: string, limit: number, now: Date): Promise<UnitReveal> {
  const Key = keys.revealUnitDay(unitId, day);
  try {
    const out = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key,
        UpdateExpression: "ADD n :one, recs :rec SET expiresAt = if_not_exists(expiresAt, :exp), #et = :et",
        ConditionExpression: "attribute_not_exists(n) OR (n < :limit AND NOT contains(recs, :record))",
        ExpressionAttributeNames: { "#et": "_et" },
        ExpressionAttributeValues: { ":one": 1, ":rec": new Set([record]), ":record": record, ":limit": limit, ":exp": Math.floor(now.getTime() / 1000) + 2 * 86_400, ":et": "RevealUnitDay" },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return { taken: true, n: Number(out.Attributes?.n) };
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
  const current = (await db().send(new GetCommand({ TableName: tableName(), Key, ConsistentRead: true, ProjectionExpression: "recs" }))).Item;
  return { taken: false, alreadyCounted: !!(current?.recs as Set<string> | undefined)?.has(record) };
}

/** `ADD n 1` on the alert counter of a quota, subject and day; true only for the call that got 1 back. */
export async function firstAlertOfDay(quota: string, subject: string, day: string, now: Date): Promise<boolean> {
  const out = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.quotaAlert(quota, subject, day),
      UpdateExpression: "ADD n :one SET expiresAt = if_not_exists(expiresAt, :exp), #et = :et",
      ExpressionAttributeNames: { "#et": "_et" },
      ExpressionAttributeValues: { ":one": 1, ":exp": Math.floor(now.getTime() / 1000) + 3 * 86_400, ":et": "QuotaAlert" },
      ReturnValues: "UPDATED_NEW",
    }),
  );
  return Number(out.Attributes?.n) === 1;
}
