import { BatchGetCommand, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import type { Category } from "./schema.ts";

export function categoryItem(c: Category) {
  return item("Category", { ...keys.category(c.id), ...keys.categoryList(c.code), ...keys.categoryChild(c.parentId, c.code) }, c);
}

/** The unique-code reference item (created with `attribute_not_exists`, moved on code change). */
export function categoryCodeItem(code: string, categoryId: string) {
  return item("CategoryCode", keys.categoryCode(code), { categoryId, code });
}

export async function getCategory(id: string, consistent = false): Promise<Category | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.category(id), ConsistentRead: consistent }));
  return strip<Category>(out.Item);
}

export async function categoryIdByCode(code: string): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.categoryCode(code), ConsistentRead: true }));
  return out.Item?.categoryId as string | undefined;
}

/** Categories by id (missing ids are absent from the map). */
export async function getCategories(ids: string[]): Promise<Map<string, Category>> {
  const found = new Map<string, Category>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, any> | undefined = { [tableName()]: { Keys: unique.slice(i, i + 100).map((id) => keys.category(id)) } };
    while (request && Object.keys(request).length) {
      const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, any> } = await db().send(new BatchGetCommand({ RequestItems: request }));
      for (const raw of out.Responses?.[tableName()] ?? []) {
        const c = strip<Category>(raw)!;
        found.set(c.id, c);
      }
      request = out.UnprocessedKeys;
    }
  }
  return found;
}

/** Does the category have an active sub-category? (gsi2 `CATCHILDREN#<id>`; a report needs a leaf) */
export async function hasActiveChildren(id: string): Promise<boolean> {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi2",
        KeyConditionExpression: "gsi2pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.categoryChild(id, "").gsi2pk },
        ProjectionExpression: "active",
        ExclusiveStartKey: start,
      }),
    );
    if ((out.Items ?? []).some((i) => i.active !== false)) return true;
    start = out.LastEvaluatedKey;
  } while (start);
  return false;
}
