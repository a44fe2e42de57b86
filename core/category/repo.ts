import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { failedConditionIndexes, isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryPage, type Page } from "../db/page.ts";
import { atVersion, codeReferenceSwap } from "../db/conditions.ts";
import { ConflictError } from "../errors.ts";
import { bumpConfigVersion } from "../config/repo.ts";
import type { auditPut } from "../audit/entry.ts";
import type * as z from "zod/mini";
import type { Category, CategoryQuery } from "./schema.ts";

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

const duplicateCode = (code: string) => new ConflictError(`Code ${code} is already used`, { fields: [{ path: "code", message: "duplicate code" }] });
export const staleCategory = (current: Category | undefined) => new ConflictError("The category was changed by someone else; reload and retry", { current });

/**
 * A new category with its code reference and audit row in one transaction, only while the code is
 * free and the parent (when given) is active; bumps the categories' version (every container's
 * cached categories are re-read: a new sub-category makes its parent a group). 409 on a taken code,
 * an inactive parent or an existing id.
 */
export async function putNewCategory(cat: Category, audit: ReturnType<typeof auditPut>, parentId: string | undefined): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: categoryCodeItem(cat.code, cat.id), ConditionExpression: "attribute_not_exists(pk)" } },
          { Put: { TableName: tableName(), Item: categoryItem(cat), ConditionExpression: "attribute_not_exists(pk)" } },
          audit,
          ...(parentId
            ? [{ ConditionCheck: { TableName: tableName(), Key: keys.category(parentId), ConditionExpression: "active = :t", ExpressionAttributeValues: { ":t": true } } }]
            : []),
          bumpConfigVersion("categories"),
        ],
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) {
      const failed = failedConditionIndexes(e);
      if (failed.includes(0)) throw duplicateCode(cat.code);
      if (failed.includes(3)) throw new ConflictError("Parent category is inactive");
      throw new ConflictError(`Category ${cat.id} already exists`);
    }
    mapStorageError(e);
  }
}

/**
 * Replace a category with the version read (`version`), with its audit row; a code change moves the
 * code reference. Bumps the categories' version (children inherit from parents: every container
 * re-reads its cached categories). 409 on a taken code or a stale version (with the current record).
 */
export async function replaceCategory(current: Category, next: Category, version: number, audit: ReturnType<typeof auditPut>): Promise<void> {
  const codeChanged = next.code !== current.code;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: categoryItem(next), ...atVersion(version) } },
          audit,
          ...(codeChanged ? codeReferenceSwap(categoryCodeItem(next.code, next.id), keys.categoryCode(current.code), "categoryId", next.id) : []),
          bumpConfigVersion("categories"),
        ],
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) {
      if (codeChanged && failedConditionIndexes(e).includes(2) && (await categoryIdByCode(next.code)) !== next.id) throw duplicateCode(next.code);
      throw staleCategory(await getCategory(next.id, true));
    }
    mapStorageError(e);
  }
}

/** All categories by code (gsi1 `CATS`), or the children of one (gsi2 `CATCHILDREN#<id>`; `parentId=root`: the top level); `q` matches part of the name or the start of the code. */
export async function categoriesPage(q: z.infer<typeof CategoryQuery>): Promise<Page<Category>> {
  const filters: string[] = [];
  const values: Record<string, unknown> = {};
  if (q.q) {
    filters.push("(contains(#name, :q) OR begins_with(#code, :qc))");
    Object.assign(values, { ":q": q.q, ":qc": q.q.toUpperCase() });
  }
  if (q.active) {
    filters.push("active = :act");
    values[":act"] = q.active === "true";
  }
  const filter = {
    FilterExpression: filters.length ? filters.join(" AND ") : undefined,
    ExpressionAttributeNames: q.q ? { "#name": "name", "#code": "code" } : undefined,
  };
  if (q.parentId) {
    const parentId = q.parentId === "root" ? null : q.parentId;
    return queryPage<Category>(
      { IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ...filter, ExpressionAttributeValues: { ":pk": keys.categoryChild(parentId, "").gsi2pk, ...values } },
      q,
    );
  }
  return queryPage<Category>(
    { IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ...filter, ExpressionAttributeValues: { ":pk": keys.categoryList("").gsi1pk, ...values } },
    q,
  );
}

/** Every category of the county, ordered by code: all pages of gsi1 `CATS` (tens to a few hundred; core/open311/catalog.ts caches it). */
export async function everyCategory(): Promise<Category[]> {
  const out: Category[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.categoryList("").gsi1pk },
        ExclusiveStartKey: start,
      }),
    );
    for (const raw of page.Items ?? []) out.push(strip<Category>(raw)!);
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}
