/** The active units and departments an import's rows name by code (core/xlsx/apply.ts, apply-staff.ts). */
import { departmentIdByCode, getDepartments } from "../department/repo.ts";
import { pool } from "../unit/pool.ts";
import { codeRefs } from "../unit/repo-import.ts";
import { getUnits } from "../unit/repo.ts";
import type { Unit } from "../unit/schema.ts";

/** code → active unit id, for the codes that have one. */
export async function activeUnitIds(codes: string[]): Promise<Map<string, string>> {
  return new Map([...(await activeUnits(codes))].map(([code, u]) => [code, u.id]));
}

/** code → active unit, for the codes that have one (the staff import's account writes use the units read). */
export async function activeUnits(codes: string[]): Promise<Map<string, Unit>> {
  const refs = await codeRefs(codes);
  const units = await getUnits([...refs.values()]);
  return new Map([...refs].flatMap(([code, id]) => {
    const u = units.get(id);
    return u?.active ? [[code, u] as const] : [];
  }));
}

/** code → active department id. */
export async function activeDepartmentIds(codes: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(codes.map((c) => c.toUpperCase()))];
  const ids = new Map<string, string>();
  await pool(unique, 8, async (c) => {
    const id = await departmentIdByCode(c);
    if (id) ids.set(c, id);
  });
  const found = await getDepartments([...ids.values()]);
  return new Map([...ids].filter(([, id]) => found.get(id)?.active));
}
