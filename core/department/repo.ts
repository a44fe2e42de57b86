import { BatchGetCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import type { Department } from "./schema.ts";

export function departmentItem(d: Department) {
  return item("Department", { ...keys.department(d.id), ...keys.departmentList(d.code) }, d);
}

/** The unique-code reference item (created with `attribute_not_exists`, moved on code change). */
export function departmentCodeItem(code: string, departmentId: string) {
  return item("DepartmentCode", keys.departmentCode(code), { departmentId, code });
}

export async function getDepartment(id: string, consistent = false): Promise<Department | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.department(id), ConsistentRead: consistent }));
  return strip<Department>(out.Item);
}

export async function departmentIdByCode(code: string): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.departmentCode(code), ConsistentRead: true }));
  return out.Item?.departmentId as string | undefined;
}

/** Departments by id (missing ids are absent from the map). */
export async function getDepartments(ids: string[]): Promise<Map<string, Department>> {
  const found = new Map<string, Department>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, any> | undefined = { [tableName()]: { Keys: unique.slice(i, i + 100).map((id) => keys.department(id)) } };
    while (request && Object.keys(request).length) {
      const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, any> } = await db().send(new BatchGetCommand({ RequestItems: request }));
      for (const raw of out.Responses?.[tableName()] ?? []) {
        const d = strip<Department>(raw)!;
        found.set(d.id, d);
      }
      request = out.UnprocessedKeys;
    }
  }
  return found;
}

const cached = new Map<string, { at: number; value: Department }>();
/** How long a container trusts a department it read (the case loop's references, #16). */
export const DEPARTMENT_TTL_MS = 30_000;

/**
 * Departments for the case loop's references (core/case/refs.ts), cached per warm container for
 * `DEPARTMENT_TTL_MS` like the categories: an action no longer costs a BatchGetItem for them (#16).
 * Only active departments found are trusted from the cache: an unknown or inactive one is read
 * again (a refusal is never based on a stale copy), and what an accepted action relies on — the
 * department is still active — is re-asserted by a ConditionCheck in the case transaction. What
 * the cache can hold stale for up to the TTL is the list of units a department serves.
 */
export async function cachedDepartments(ids: string[]): Promise<Map<string, Department>> {
  const now = Date.now();
  const found = new Map<string, Department>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const hit = cached.get(id);
    if (hit && hit.value.active && now - hit.at < DEPARTMENT_TTL_MS) found.set(id, hit.value);
    else missing.push(id);
  }
  if (missing.length) {
    for (const [id, d] of await getDepartments(missing)) {
      found.set(id, d);
      cached.set(id, { at: now, value: d });
    }
  }
  return found;
}

/** Drop cached departments (a write in this container, or a commit that found one changed). */
export function forgetCachedDepartments(ids?: string[]): void {
  if (!ids) cached.clear();
  else for (const id of ids) cached.delete(id);
}

/** How many case commits gave this department a case (core/case/repo.ts bumps it); undefined: none yet. */
export async function departmentAssignSeq(id: string): Promise<number | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.departmentAssignSeq(id), ConsistentRead: true }));
  return out.Item?.n as number | undefined;
}
