import { BatchGetCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { versionRefresher } from "../config/repo.ts";
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

const cached = new Map<string, Department>();
/** How often a container proves its cached departments current (the version counter; #16). */
export const DEPARTMENTS_RECHECK_MS = 5_000;

/**
 * The departments' version counter (CONFIG / VERSION#departments), bumped in the transaction of
 * every department write (core/department/service.ts): a container keeps the departments it read
 * while the counter has not moved, checked at most `DEPARTMENTS_RECHECK_MS` before use; the case
 * loop folds the check into the case read (core/case/repo.ts `getCaseWithConfig`).
 */
export const departmentsVersion = versionRefresher("departments", DEPARTMENTS_RECHECK_MS, () => cached.clear());

/**
 * Departments for the case loop's references (core/case/refs.ts), cached per warm container while
 * `departmentsVersion` stands: an action no longer costs a BatchGetItem for them (#16). Only
 * active departments are served from the cache: an unknown or inactive one is read again (a
 * refusal is never based on a copy), and what an accepted action relies on — the department is
 * still active — is re-asserted by a ConditionCheck in the case transaction.
 */
export async function cachedDepartments(ids: string[], now = new Date()): Promise<Map<string, Department>> {
  await departmentsVersion.check(now);
  const found = new Map<string, Department>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const hit = cached.get(id);
    if (hit?.active) found.set(id, hit);
    else missing.push(id);
  }
  if (missing.length) {
    for (const [id, d] of await getDepartments(missing)) {
      found.set(id, d);
      cached.set(id, d);
    }
  }
  return found;
}

/** Drop the cached departments (a commit that found one changed meanwhile). */
export function forgetCachedDepartments(): void {
  departmentsVersion.forget();
}

/** How many case commits gave this department a case (core/case/repo.ts bumps it); undefined: none yet. */
export async function departmentAssignSeq(id: string): Promise<number | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.departmentAssignSeq(id), ConsistentRead: true }));
  return out.Item?.n as number | undefined;
}
