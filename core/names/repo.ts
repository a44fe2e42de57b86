/**
 * Label reads: BatchGet of units, users and departments by id, projected to the attributes a
 * label needs, so nothing else (a user's phone, password hash or roles) is ever read.
 */
import { BatchGetCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";

type Key = { pk: string; sk: string };
type Raw = Record<string, unknown>;

/** Items of `itemKeys` (unique, 100 per request, unprocessed keys retried with backoff), only `attributes`. */
async function batchGetProjected(itemKeys: Key[], attributes: string[]): Promise<Raw[]> {
  const seen = new Set<string>();
  const unique = itemKeys.filter((k) => {
    const id = `${k.pk}\u0000${k.sk}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
  const found: Raw[] = [];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, any> | undefined = {
      [tableName()]: { Keys: unique.slice(i, i + 100), ProjectionExpression: Object.keys(names).join(", "), ExpressionAttributeNames: names },
    };
    let attempt = 0;
    while (request && Object.keys(request).length) {
      if (attempt++) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
      const out: { Responses?: Record<string, Raw[]>; UnprocessedKeys?: Record<string, any> } = await db().send(new BatchGetCommand({ RequestItems: request }));
      found.push(...(out.Responses?.[tableName()] ?? []));
      request = out.UnprocessedKeys;
    }
  }
  return found;
}

export interface UnitLabelRow {
  id: string;
  name: string;
  code: string;
  level: string;
  path: string;
}

export async function unitLabelRows(ids: string[]): Promise<UnitLabelRow[]> {
  const rows = await batchGetProjected(ids.map((id) => keys.unit(id)), ["id", "name", "code", "level", "path"]);
  return rows as unknown as UnitLabelRow[];
}

export async function userLabelRows(ids: string[]): Promise<Array<{ id: string; displayName: string }>> {
  const rows = await batchGetProjected(ids.map((id) => keys.user(id)), ["id", "displayName"]);
  return rows as Array<{ id: string; displayName: string }>;
}

export async function departmentLabelRows(ids: string[]): Promise<Array<{ id: string; name: string }>> {
  const rows = await batchGetProjected(ids.map((id) => keys.department(id)), ["id", "name"]);
  return rows as Array<{ id: string; name: string }>;
}
