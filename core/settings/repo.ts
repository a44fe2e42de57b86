import { QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import type { auditPut } from "../audit/entry.ts";
import { readSettingsItem } from "./repo-read.ts";
import { Settings } from "./settings.ts";

/** The stored settings item, or undefined when the county was never configured (defaults apply). */
export async function getStoredSettings(): Promise<Settings | undefined> {
  const raw = await readSettingsItem(true);
  return raw ? Settings.parse(strip(raw)) : undefined;
}

export function settingsItem(s: Settings) {
  return item("Settings", keys.settings(), s);
}

/**
 * Save the settings with their audit row, in one transaction: over the stored item at the version
 * read, or as the first one (`attribute_not_exists`). false when someone else saved meanwhile.
 */
export async function saveSettings(next: Settings, stored: boolean, version: number | undefined, audit: ReturnType<typeof auditPut>): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: settingsItem(next),
              ...(stored
                ? { ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":v": version } }
                : { ConditionExpression: "attribute_not_exists(pk)" }),
            },
          },
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
