import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { item } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { Settings, settingsKey, forgetSettings } from "../settings/settings.ts";
import type { Boundary } from "../geo/schema.ts";
import { centroid } from "../geo/measure.ts";
import { bumpTreeVersion, codeRefItem, unitIdByCode, getUnit, unitItem } from "./repo.ts";
import type { Unit } from "./schema.ts";

/**
 * Create the county: its settings and the root unit (the only unit without a parent).
 * Idempotent: when the root already exists it is returned unchanged.
 */
export async function ensureCounty(input: { settings: Settings; boundary?: Boundary; id?: string }, now: Date): Promise<Unit> {
  const s = Settings.parse(input.settings);
  const existing = await unitIdByCode(s.countyCode);
  if (existing) return (await getUnit(existing, true))!;
  const id = input.id ?? `county-${s.countyCode}`;
  const at = now.toISOString();
  const root: Unit = {
    id,
    parentId: null,
    depth: 0,
    level: "county",
    name: s.countyName,
    code: s.countyCode,
    type: "county",
    path: `/${id}/`,
    boundary: input.boundary,
    centroid: input.boundary ? centroid(input.boundary) : undefined,
    active: true,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: codeRefItem(root.code, id), ConditionExpression: "attribute_not_exists(pk)" } },
          { Put: { TableName: tableName(), Item: unitItem(root), ConditionExpression: "attribute_not_exists(pk)" } },
          { Put: { TableName: tableName(), Item: item("Settings", settingsKey, s) } },
        ],
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) mapStorageError(e);
    return (await getUnit(id, true))!;
  }
  forgetSettings();
  await bumpTreeVersion();
  return root;
}

