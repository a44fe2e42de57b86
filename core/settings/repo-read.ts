import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";

/**
 * The settings item as stored (`CONFIG` / `SETTINGS`), or undefined when the county was never
 * configured: one GetItem. Apart from core/settings/repo.ts so that the cached read every function
 * makes (core/settings/settings.ts) loads nothing else.
 */
export async function readSettingsItem(consistent: boolean): Promise<Record<string, unknown> | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.settings(), ConsistentRead: consistent }));
  return out.Item;
}
