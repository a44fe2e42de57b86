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

/** How many case commits gave this department a case (core/case/repo.ts bumps it); undefined: none yet. */
export async function departmentAssignSeq(id: string): Promise<number | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.departmentAssignSeq(id), ConsistentRead: true }));
  return out.Item?.n as number | undefined;
}
