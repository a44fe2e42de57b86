import type { QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { decodeCursor, encodeCursor } from "../db/items.ts";
import { queryPage, type Page } from "../db/page.ts";
import { canonicalPath, storedPrefixes } from "./paths.ts";

/**
 * One page of a list keyed by unit path (`begins_with(gsi1sk, :p)`) that stays right while a moved
 * subtree's records are re-pathed: the old location is queried after the new one (cursor
 * `{i, c}`), and a record counts only if its canonical path lies under the requested prefix —
 * so the old parent no longer lists what moved away. Without a move in progress: one queryPage.
 */
export async function queryPathPage<T>(
  prefix: string,
  build: (storedPrefix: string) => Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey" | "Limit">,
  page: { limit: number; cursor?: string },
  opts: { maxReads?: number; map?: (raw: Record<string, unknown>) => T | undefined; pathOf: (raw: Record<string, unknown>) => string },
): Promise<Page<T>> {
  prefix = canonicalPath(prefix); // a scope from a token issued before the move
  const prefixes = storedPrefixes(prefix);
  const keep = (raw: Record<string, unknown>) => (canonicalPath(opts.pathOf(raw)).startsWith(prefix) ? (opts.map ? opts.map(raw) : (raw as T)) : undefined);
  if (prefixes.length === 1) return queryPage<T>(build(prefix), page, { maxReads: opts.maxReads, map: keep });
  const at = (page.cursor ? (decodeCursor(page.cursor) as unknown as { i: number; c?: string }) : undefined) ?? { i: 0 };
  const items: T[] = [];
  for (let i = at.i; i < prefixes.length; i++) {
    const r = await queryPage<T>(build(prefixes[i]), { limit: page.limit - items.length, cursor: i === at.i ? at.c : undefined }, { maxReads: opts.maxReads, map: keep });
    items.push(...r.items);
    if (r.nextCursor) return { items, nextCursor: encodeCursor({ i, c: r.nextCursor }) ?? null };
    if (items.length >= page.limit) return { items, nextCursor: i + 1 < prefixes.length ? (encodeCursor({ i: i + 1 }) ?? null) : null };
  }
  return { items, nextCursor: null };
}
