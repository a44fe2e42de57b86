import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import { Cursor } from "./ids.ts";
import { InvalidError } from "../errors.ts";
import { db, tableName } from "./client.ts";
import { decodeCursor, encodeCursor, strip } from "./items.ts";
import { table, type IndexName } from "./table.ts";

export const PageQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * One page of a Query with an opaque cursor. With a filter, keeps reading until the page is
 * full or the key range ends (bounded by `maxReads`), so filtered lists don't return empty pages.
 */
export async function queryPage<T>(
  input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey" | "Limit">,
  page: { limit: number; cursor?: string },
  opts: { maxReads?: number; map?: (raw: Record<string, unknown>) => T | undefined } = {},
): Promise<Page<T>> {
  let start = decodeCursor(page.cursor);
  const items: T[] = [];
  let reads = 0;
  let last: Record<string, unknown> | undefined;
  do {
    let out;
    try {
      out = await db().send(
        new QueryCommand({ ...input, TableName: tableName(), ExclusiveStartKey: start, Limit: input.FilterExpression ? Math.max(page.limit, 100) : page.limit - items.length }),
      );
    } catch (e) {
      if ((e as Error).name === "ValidationException" && start) throw new InvalidError("Invalid cursor");
      throw e;
    }
    reads++;
    for (const raw of out.Items ?? []) {
      const v = opts.map ? opts.map(raw) : (strip<T>(raw) as T);
      if (v === undefined) continue;
      items.push(v);
      if (items.length === page.limit) {
        last = keyOf(raw, input.IndexName);
        break;
      }
    }
    if (items.length === page.limit) break;
    start = out.LastEvaluatedKey;
    last = start;
  } while (start && reads < (opts.maxReads ?? 20));
  return { items, nextCursor: last ? (encodeCursor(last) ?? null) : null };
}

/** Every item a Query matches, all pages read (one request a page, in order). */
export async function queryAll<T = Record<string, any>>(input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">): Promise<T[]> {
  const rows: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(new QueryCommand({ TableName: tableName(), ...input, ExclusiveStartKey: start }));
    rows.push(...((out.Items ?? []) as T[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return rows;
}

/** The key of an item as a query on that index reports it (table key + index key). */
function keyOf(raw: Record<string, unknown>, indexName: string | undefined): Record<string, unknown> {
  const names: string[] = [table.partitionKey, table.sortKey];
  const ix = indexName ? table.indexes[indexName as IndexName] : undefined;
  if (ix) names.push(ix.partitionKey, ix.sortKey);
  return Object.fromEntries(names.map((n) => [n, raw[n]]));
}

/**
 * FilterExpression parts collected by a list query: `add("#c = :c", { ":c": x }, { "#c": "class" })`
 * per optional filter, then spread `build(keyValues)` into the Query input.
 */
export class Filters {
  private readonly parts: string[] = [];
  private readonly values: Record<string, unknown> = {};
  private readonly names: Record<string, string> = {};

  add(expression: string, values: Record<string, unknown>, names: Record<string, string> = {}): this {
    this.parts.push(expression);
    Object.assign(this.values, values);
    Object.assign(this.names, names);
    return this;
  }

  build(keyValues: Record<string, unknown>, keyNames: Record<string, string> = {}) {
    const names = { ...keyNames, ...this.names };
    return {
      FilterExpression: this.parts.length ? this.parts.join(" AND ") : undefined,
      ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
      ExpressionAttributeValues: { ...keyValues, ...this.values },
    };
  }
}
