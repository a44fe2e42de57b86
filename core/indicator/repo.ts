import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryPage, type Page } from "../db/page.ts";
import type { auditPut } from "../audit/entry.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import type { IndicatorDefinition, UnitValues } from "./schema.ts";

export function definitionItem(d: IndicatorDefinition) {
  return item("IndicatorDefinition", { ...keys.indicatorDefinition(d.key), ...keys.indicatorDefinitionList(d.key) }, d);
}

type AuditPart = ReturnType<typeof auditPut>;

/** Write a new definition with its audit row, if its key is free; false when it is taken. */
export async function insertDefinition(def: IndicatorDefinition, audit: AuditPart): Promise<boolean> {
  return writeDefinition({ Put: { TableName: tableName(), Item: definitionItem(def), ConditionExpression: "attribute_not_exists(pk)" } }, audit);
}

/** Replace a definition at the version read, with its audit row; false when it changed meanwhile. */
export async function replaceDefinition(next: IndicatorDefinition, version: number, audit: AuditPart): Promise<boolean> {
  return writeDefinition(
    { Put: { TableName: tableName(), Item: definitionItem(next), ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":v": version } } },
    audit,
  );
}

async function writeDefinition(put: object, audit: AuditPart): Promise<boolean> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [put, audit] }));
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    mapStorageError(e);
  }
}

export async function getDefinition(key: string, consistent = false): Promise<IndicatorDefinition | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.indicatorDefinition(key), ConsistentRead: consistent }));
  return strip<IndicatorDefinition>(out.Item);
}

/** Every configured (external) definition, by key (a county has a few dozen at most). */
export async function listExternalDefinitions(): Promise<IndicatorDefinition[]> {
  const defs: IndicatorDefinition[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.indicatorDefinitionList("").gsi1pk },
        ExclusiveStartKey: start,
      }),
    );
    for (const raw of out.Items ?? []) defs.push(strip<IndicatorDefinition>(raw)!);
    start = out.LastEvaluatedKey;
  } while (start);
  return defs;
}

/** Items by key, in chunks of 100, retrying unprocessed keys. */
export async function batchGet(itemKeys: { pk: string; sk: string }[], projection?: string[], consistent = false): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  const unique = itemKeys.filter((k) => {
    const id = `${k.pk}\u0000${k.sk}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  for (let i = 0; i < unique.length; i += 100) {
    const names = projection ? Object.fromEntries(["pk", "sk", ...projection].map((n, j) => [`#p${j}`, n])) : undefined;
    let request: Record<string, any> | undefined = {
      [tableName()]: {
        Keys: unique.slice(i, i + 100),
        ...(consistent ? { ConsistentRead: true } : {}),
        ...(names ? { ProjectionExpression: Object.keys(names).join(", "), ExpressionAttributeNames: names } : {}),
      },
    };
    let attempt = 0;
    while (request && Object.keys(request).length) {
      if (attempt++) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
      const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, any> } = await db().send(new BatchGetCommand({ RequestItems: request }));
      found.push(...(out.Responses?.[tableName()] ?? []));
      request = out.UnprocessedKeys;
    }
  }
  return found;
}

/** Unit ids of unit codes (the unique-code reference items). */
export async function unitIdsByCode(codes: string[]): Promise<Map<string, string>> {
  const rows = await batchGet(codes.map((c) => keys.unitCode(c)));
  return new Map(rows.map((r) => [r.code as string, r.unitId as string]));
}

const VALUE_PREFIX = "v_";
export const valueAttribute = (key: string): string => `${VALUE_PREFIX}${key}`;

/** Stored values item → values by indicator key. */
export function valuesOf(raw: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) if (k.startsWith(VALUE_PREFIX) && typeof v === "number") out[k.slice(VALUE_PREFIX.length)] = v;
  return out;
}

export function unitValuesOf(raw: Record<string, unknown>): UnitValues {
  const r = raw as Record<string, any>;
  return { period: r.period, unitId: r.unitId, unitCode: r.unitCode, unitPath: r.unitPath, values: valuesOf(raw), updatedAt: r.updatedAt, updatedBy: r.updatedBy };
}

/** External values of a month for these units: unit id → values. */
export async function valuesForUnits(period: string, unitIds: string[]): Promise<Map<string, Record<string, number>>> {
  const rows = await batchGet(unitIds.map((id) => keys.indicatorValues(period, id)));
  return new Map(rows.map((r) => [r.unitId as string, valuesOf(r)]));
}

/**
 * The update of one unit's values for a month (a transaction item): each value its own attribute
 * (`v_<key>`), so entering one indicator never overwrites another.
 */
export function valuesUpdate(period: string, unit: { id: string; code: string; path: string }, values: Record<string, number>, by: UnitValues["updatedBy"], at: string) {
  const names: Record<string, string> = { "#et": "_et", "#sv": "_sv", "#period": "period", "#unitId": "unitId", "#unitCode": "unitCode", "#unitPath": "unitPath", "#g1pk": "gsi1pk", "#g1sk": "gsi1sk", "#at": "updatedAt", "#by": "updatedBy" };
  const idx = keys.indicatorValuesByPath(period, unit.path);
  const vals: Record<string, unknown> = { ":et": "IndicatorValues", ":sv": 1, ":period": period, ":unitId": unit.id, ":unitCode": unit.code, ":unitPath": unit.path, ":g1pk": idx.gsi1pk, ":g1sk": idx.gsi1sk, ":at": at, ":by": by };
  const sets = Object.keys(names).map((n) => `${n} = :${n.slice(1)}`);
  Object.entries(values).forEach(([k, v], i) => {
    names[`#v${i}`] = valueAttribute(k);
    vals[`:v${i}`] = v;
    sets.push(`#v${i} = :v${i}`);
  });
  return { Update: { TableName: tableName(), Key: keys.indicatorValues(period, unit.id), UpdateExpression: `SET ${sets.join(", ")}`, ExpressionAttributeNames: names, ExpressionAttributeValues: vals } };
}

/** Entered values: transactions of 50 updates, the first one carrying the audit entry (validated before: they only fail on infrastructure errors). */
export async function writeValues(audit: AuditPart, updates: ReturnType<typeof valuesUpdate>[]): Promise<void> {
  for (let i = 0; i < updates.length; i += 50) {
    const chunk = updates.slice(i, i + 50);
    try {
      await db().send(new TransactWriteCommand({ TransactItems: i === 0 ? [audit, ...chunk] : chunk }));
    } catch (e) {
      mapStorageError(e);
    }
  }
}

/** One page of a month's values in unit path order under `prefix` (gsi1); `keep` drops rows after the read. */
export function valuesPage(period: string, prefix: string, q: { limit: number; cursor?: string }, keep: (v: UnitValues) => boolean): Promise<Page<UnitValues>> {
  return queryPage<UnitValues>(
    { IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)", ExpressionAttributeValues: { ":pk": keys.indicatorValuesByPath(period, "").gsi1pk, ":p": prefix } },
    q,
    { map: (raw) => { const v = unitValuesOf(raw); return keep(v) ? v : undefined; } },
  );
}
