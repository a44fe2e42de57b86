import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { Settings } from "./settings.ts";

/** The stored settings item, or undefined when the county was never configured (defaults apply). */
export async function getStoredSettings(): Promise<Settings | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.settings(), ConsistentRead: true }));
  return out.Item ? Settings.parse(strip(out.Item)) : undefined;
}

export function settingsItem(s: Settings) {
  return item("Settings", keys.settings(), s);
}

/**
 * Does any unit exist (at all, or below the county root)? Reads the unit tree (gsi1 `UNITS`,
 * ordered by path) until the first match; in a county the root's first child comes second.
 */
export async function unitsExist(opts: { belowRoot: boolean }): Promise<boolean> {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        FilterExpression: opts.belowRoot ? "#d > :z" : undefined,
        ExpressionAttributeNames: opts.belowRoot ? { "#d": "depth" } : undefined,
        ExpressionAttributeValues: { ":pk": keys.unitTree("").gsi1pk, ...(opts.belowRoot ? { ":z": 0 } : {}) },
        ProjectionExpression: "id",
        Limit: 100,
        ExclusiveStartKey: start,
      }),
    );
    if (out.Items?.length) return true;
    start = out.LastEvaluatedKey;
  } while (start);
  return false;
}
