/** The staff export (`GET /v1/users/export.xlsx`): the accounts the caller may read, one row per role assignment, never a password. */
import type { Principal } from "../auth/principal.ts";
import { listStaff } from "../user/list.ts";
import type { User } from "../user/schema.ts";
import { activeText, departmentCodes, listExport, readAll, unitCodes, type XlsxFile } from "./export.ts";
import { ROLE_ZH, STAFF } from "./spec-staff.ts";

export async function staffRows(p: Principal): Promise<Record<string, string>[]> {
  const users = (await readAll<User>((q) => listStaff(p, q))).sort((a, b) => a.username.localeCompare(b.username));
  const units = await unitCodes(users.flatMap((u) => u.assignments.map((a) => a.unitId)));
  const depts = await departmentCodes(users.flatMap((u) => u.assignments.flatMap((a) => (a.departmentId ? [a.departmentId] : []))));
  return users.flatMap((u) =>
    u.assignments.map((a, i) => ({
      username: u.username,
      displayName: i === 0 ? u.displayName : "",
      phone: i === 0 ? (u.phone ?? "") : "",
      role: ROLE_ZH[a.role],
      unitCode: units.get(a.unitId) ?? "",
      departmentCode: a.departmentId ? (depts.get(a.departmentId) ?? "") : "",
      active: i === 0 ? activeText(u.active) : "",
      password: "",
    })),
  );
}

export async function staffExport(p: Principal, now: Date): Promise<XlsxFile> {
  return listExport(STAFF, await staffRows(p), now);
}
