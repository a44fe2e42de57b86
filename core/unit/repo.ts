import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import type { Unit } from "./schema.ts";
import { inScopes } from "../auth/principal.ts";

/** Index attributes of a unit item: tree (path), children (parent+code), codes. */
export function unitIndexKeys(u: Pick<Unit, "path" | "parentId" | "code">) {
  return {
    ...keys.unitTree(u.path),
    ...(u.parentId ? keys.unitChild(u.parentId, u.code) : {}),
    ...keys.unitByCode(u.code),
  };
}

export function unitItem(u: Unit) {
  return item("Unit", { ...keys.unit(u.id), ...unitIndexKeys(u) }, u);
}

export function codeRefItem(code: string, unitId: string) {
  return item("UnitCode", keys.unitCode(code), { unitId, code });
}

export async function getUnit(id: string, consistent = false): Promise<Unit | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.unit(id), ConsistentRead: consistent }));
  return strip<Unit>(out.Item);
}

export async function getUnits(ids: string[]): Promise<Map<string, Unit>> {
  const found = new Map<string, Unit>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, any> | undefined = {
      [tableName()]: { Keys: unique.slice(i, i + 100).map((id) => keys.unit(id)) },
    };
    while (request && Object.keys(request).length) {
      const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, any> } = await db().send(new BatchGetCommand({ RequestItems: request }));
      for (const raw of out.Responses?.[tableName()] ?? []) {
        const u = strip<Unit>(raw)!;
        found.set(u.id, u);
      }
      request = out.UnprocessedKeys;
    }
  }
  return found;
}

export async function unitIdByCode(code: string): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.unitCode(code) }));
  return out.Item?.unitId as string | undefined;
}

/** Every unit of the subtree (including the root), ordered by path. Reads pages until done. */
export async function subtree(path: string, opts: { activeOnly?: boolean } = {}): Promise<Unit[]> {
  const units: Unit[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
        ExpressionAttributeValues: { ":pk": "UNITS", ":p": path },
        ExclusiveStartKey: start,
      }),
    );
    for (const raw of out.Items ?? []) {
      const u = strip<Unit>(raw)!;
      if (!opts.activeOnly || u.active) units.push(u);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return units;
}

/**
 * The ids and codes of the units under a path (the same gsi1 Query as `subtree`, projected to id,
 * code and active): an Excel template's unit-code dropdown reads no boundaries (issue #15).
 */
export async function subtreeCodes(path: string, opts: { activeOnly?: boolean } = {}): Promise<Array<{ id: string; code: string }>> {
  const out: Array<{ id: string; code: string }> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
        ExpressionAttributeValues: { ":pk": "UNITS", ":p": path },
        ProjectionExpression: "#id, #code, #active",
        ExpressionAttributeNames: { "#id": "id", "#code": "code", "#active": "active" },
        ExclusiveStartKey: start,
      }),
    );
    for (const u of (page.Items ?? []) as Array<{ id: string; code: string; active?: boolean }>) if (!opts.activeOnly || u.active) out.push({ id: u.id, code: u.code });
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Active children of a unit (all pages of `CHILDREN#<id>` on gsi2, filter active). */
export async function activeChildren(id: string): Promise<Unit[]> {
  const found: Unit[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi2",
        KeyConditionExpression: "gsi2pk = :pk",
        FilterExpression: "active = :t",
        ExpressionAttributeValues: { ":pk": keys.unitChild(id, "").gsi2pk, ":t": true },
        ExclusiveStartKey: start,
      }),
    );
    for (const raw of out.Items ?? []) found.push(strip<Unit>(raw)!);
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
}

export async function hasActiveChildren(id: string): Promise<boolean> {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi2",
        KeyConditionExpression: "gsi2pk = :pk",
        FilterExpression: "active = :t",
        ExpressionAttributeValues: { ":pk": keys.unitChild(id, "").gsi2pk, ":t": true },
        ProjectionExpression: "id",
        ExclusiveStartKey: start,
      }),
    );
    if (out.Items?.length) return true;
    start = out.LastEvaluatedKey;
  } while (start);
  return false;
}

/** Active staff assigned to this unit (role rows on gsi2 STAFF#unit). */
export async function activeStaffCount(unitId: string): Promise<number> {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: "gsi2",
      KeyConditionExpression: "gsi2pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.staffOfUnit(unitId, "").gsi2pk },
      Select: "COUNT",
    }),
  );
  return out.Count ?? 0;
}

/** Tree version: bumped after every unit change; warm containers rebuild the locate index when it moves. */
export const TREE_VERSION = { pk: "CONFIG", sk: "UNITS_VERSION" };

export async function bumpTreeVersion(): Promise<void> {
  await db().send(
    new UpdateCommand({ TableName: tableName(), Key: TREE_VERSION, UpdateExpression: "ADD n :one SET #t = :type", ExpressionAttributeNames: { "#t": "_et" }, ExpressionAttributeValues: { ":one": 1, ":type": "Counter" } }),
  );
}

export async function treeVersion(): Promise<number> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: TREE_VERSION }));
  return (out.Item?.n as number | undefined) ?? 0;
}

export { TransactWriteCommand };

/** The county root's id: the first unit of the tree index (gsi1 `UNITS`, ordered by path), one Query of Limit 1. */
export async function countyRootId(): Promise<string | undefined> {
  const out = await db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.unitTree("").gsi1pk }, Limit: 1 }));
  return out.Items?.[0]?.id as string | undefined;
}

/**
 * Active units of one level under a path prefix, for a map (id, name, code, path, level, boundary), only
 * those inside `scopes`; at most `max` (then `truncated`). Shared by the grid map and the appraisal map.
 */
export async function unitsOfLevelUnder(prefix: string, level: string, scopes: string[], max: number): Promise<{ units: Record<string, unknown>[]; truncated: boolean }> {
  const units: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
        FilterExpression: "#level = :level AND #active = :t",
        ProjectionExpression: "#id, #n, #code, #path, #level, #boundary",
        ExpressionAttributeNames: { "#id": "id", "#n": "name", "#code": "code", "#path": "path", "#level": "level", "#boundary": "boundary", "#active": "active" },
        ExpressionAttributeValues: { ":pk": keys.unitTree("").gsi1pk, ":p": prefix, ":level": level, ":t": true },
        ExclusiveStartKey: start,
      }),
    );
    units.push(...(out.Items ?? []).filter((u) => inScopes(u.path as string, scopes)));
    start = out.LastEvaluatedKey;
    if (units.length >= max) {
      const truncated = units.length > max || !!start;
      units.length = Math.min(units.length, max);
      return { units, truncated };
    }
  } while (start);
  return { units, truncated: false };
}

// ---------------------------------------------------------------- unit writes (core/unit/root.ts, service.ts, repo-import.ts)

/** Transaction parts: a new unit with its code reference (both only if absent). */
export const newUnitOps = (unit: Unit) => [
  { Put: { TableName: tableName(), Item: codeRefItem(unit.code, unit.id), ConditionExpression: "attribute_not_exists(pk)" } },
  { Put: { TableName: tableName(), Item: unitItem(unit), ConditionExpression: "attribute_not_exists(pk)" } },
];

/** Transaction part: the parent is still active at the path read. */
export const parentCheck = (parent: { id: string; path: string }) => ({
  ConditionCheck: {
    TableName: tableName(),
    Key: keys.unit(parent.id),
    ConditionExpression: "active = :t AND #path = :path",
    ExpressionAttributeNames: { "#path": "path" },
    ExpressionAttributeValues: { ":t": true, ":path": parent.path },
  },
});

/**
 * The county's first write: its code reference and root unit (both only if absent) and the
 * settings item, in one transaction. false when the root or its code already exists.
 */
export async function insertCountyRoot(root: Unit, settings: object): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          ...newUnitOps(root),
          { Put: { TableName: tableName(), Item: item("Settings", keys.settings(), settings) } },
        ],
      }),
    );
    return true;
  } catch (e) {
    if (!isConditionFailure(e)) mapStorageError(e);
    return false;
  }
}

/**
 * A new unit under `parent`: its code reference and item (both only if absent) while the parent
 * is active at the path read, with the audit row, in one transaction. false when a condition failed.
 */
export async function insertUnit(unit: Unit, parent: Pick<Unit, "id" | "path">, audit: object): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          ...newUnitOps(unit),
          parentCheck(parent),
          audit as any,
        ],
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    mapStorageError(e);
  }
}

/** Replace a unit item at the expected version, with its audit row, in one transaction; false when it changed meanwhile. */
export async function replaceUnit(next: Unit, expected: number, audit: object): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: unitItem(next), ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":v": expected } } },
          audit as any,
        ],
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    mapStorageError(e);
  }
}
