/** The active units and departments an import's rows name by code (core/xlsx/apply.ts, apply-staff.ts). */
import { departmentIdByCode, getDepartments } from "../department/repo.ts";
import { pool } from "../unit/pool.ts";
import { codeRefs } from "../unit/repo-import.ts";
import { getUnits } from "../unit/repo.ts";

/** code → active unit id, for the codes that have one. */
export async function activeUnitIds(codes: string[]): Promise<Map<string, string>> {
  const refs = await codeRefs(codes);
  const units = await getUnits([...refs.values()]);
  return new Map([...refs].filter(([, id]) => units.get(id)?.active));
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
