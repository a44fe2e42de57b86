import { BatchGetCommand, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type * as z from "zod/mini";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { failedConditionIndexes, isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryPage, type Page } from "../db/page.ts";
import { atVersion, codeReferenceSwap } from "../db/conditions.ts";
import { ConflictError } from "../errors.ts";
import { bumpConfigVersion, versionRefresher } from "../config/repo.ts";
import type { auditPut } from "../audit/entry.ts";
import type { Department, DepartmentQuery } from "./schema.ts";

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

const duplicateCode = (code: string) => new ConflictError(`Code ${code} is already used`, { fields: [{ path: "code", message: "duplicate code" }] });

/**
 * A new department with its code reference and audit row in one transaction, only while the code
 * is free; bumps the departments' version (containers re-read their cached departments). 409 on a
 * taken code or an existing id.
 */
export async function putNewDepartment(dept: Department, audit: ReturnType<typeof auditPut>): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: departmentCodeItem(dept.code, dept.id), ConditionExpression: "attribute_not_exists(pk)" } },
          { Put: { TableName: tableName(), Item: departmentItem(dept), ConditionExpression: "attribute_not_exists(pk)" } },
          audit,
          bumpConfigVersion("departments"),
        ],
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) {
      if (failedConditionIndexes(e).includes(0)) throw duplicateCode(dept.code);
      throw new ConflictError(`Department ${dept.id} already exists`);
    }
    mapStorageError(e);
  }
}

/**
 * Replace a department with the version read (`version`), with its audit row; a code change moves
 * the code reference. A deactivation also requires the department's case-assignment counter
 * unchanged since it was read (`assignSeq`, undefined: none yet), so a dispatch racing the open-case
 * count makes it retry. Bumps the departments' version. 409 on a taken code or a stale read (with
 * the current record).
 */
export async function replaceDepartment(
  current: Department,
  next: Department,
  version: number,
  audit: ReturnType<typeof auditPut>,
  deactivation: { assignSeq: number | undefined } | undefined,
): Promise<void> {
  const id = next.id;
  const codeChanged = next.code !== current.code;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: departmentItem(next), ...atVersion(version) } },
          audit,
          ...(codeChanged ? codeReferenceSwap(departmentCodeItem(next.code, id), keys.departmentCode(current.code), "departmentId", id) : []),
          ...(deactivation
            ? [{ ConditionCheck: { TableName: tableName(), Key: keys.departmentAssignSeq(id), ...(deactivation.assignSeq === undefined ? { ConditionExpression: "attribute_not_exists(pk)" } : { ConditionExpression: "#n = :n", ExpressionAttributeNames: { "#n": "n" }, ExpressionAttributeValues: { ":n": deactivation.assignSeq } }) } }]
            : []),
          bumpConfigVersion("departments"),
        ],
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) {
      if (codeChanged && failedConditionIndexes(e).includes(2) && (await departmentIdByCode(next.code)) !== id) throw duplicateCode(next.code);
      throw new ConflictError("The department was changed by someone else; reload and retry", { current: await getDepartment(id, true) });
    }
    mapStorageError(e);
  }
}

/** All departments by code (gsi1 `DEPTS`); `q` matches part of the name or the start of the code, `unitId` a served unit. */
export async function departmentsPage(q: z.infer<typeof DepartmentQuery>): Promise<Page<Department>> {
  const filters: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ":pk": keys.departmentList("").gsi1pk };
  if (q.q) {
    filters.push("(contains(#name, :q) OR begins_with(#code, :qc))");
    Object.assign(names, { "#name": "name", "#code": "code" });
    Object.assign(values, { ":q": q.q, ":qc": q.q.toUpperCase() });
  }
  if (q.active) {
    filters.push("active = :act");
    values[":act"] = q.active === "true";
  }
  if (q.unitId) {
    filters.push("contains(unitIds, :u)");
    values[":u"] = q.unitId;
  }
  return queryPage<Department>(
    {
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      FilterExpression: filters.length ? filters.join(" AND ") : undefined,
      ExpressionAttributeNames: filters.length && q.q ? names : undefined,
      ExpressionAttributeValues: values,
    },
    q,
  );
}
