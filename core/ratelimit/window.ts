import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { isConditionFailure } from "../db/errors.ts";
import { RateLimitedError } from "../errors.ts";

/**
 * Fixed-window rate limit shared by all containers: one counter item per bucket and window,
 * incremented conditionally (never past the limit) and expiring by TTL.
 */
export async function consume(bucket: string, limit: number, windowSeconds: number, now: Date): Promise<void> {
  const windowStart = Math.floor(now.getTime() / 1000 / windowSeconds) * windowSeconds;
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.rateWindow(bucket, String(windowStart)),
        UpdateExpression: "ADD n :one SET expiresAt = if_not_exists(expiresAt, :exp), #et = :et",
        ConditionExpression: "attribute_not_exists(n) OR n < :limit",
        ExpressionAttributeNames: { "#et": "_et" },
        ExpressionAttributeValues: { ":one": 1, ":limit": limit, ":exp": windowStart + windowSeconds * 2, ":et": "RateWindow" },
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) throw new RateLimitedError(Math.max(1, windowStart + windowSeconds - Math.floor(now.getTime() / 1000)));
    throw e;
  }
}
