/** The departments export (`GET /v1/departments/export.xlsx`): the whole county's departments. */
import type { Principal } from "../auth/principal.ts";
import { listDepartments } from "../department/service.ts";
import type { Department } from "../department/schema.ts";
import { activeText, listExport, readAll, unitCodes, type XlsxFile } from "./export.ts";
import { DEPARTMENTS } from "./spec-departments.ts";

export async function departmentRows(p: Principal): Promise<Record<string, string>[]> {
  const list = await readAll<Department>((q) => listDepartments(p, q));
  const units = await unitCodes(list.flatMap((d) => d.unitIds));
  return list.map((d) => ({
    code: d.code,
    name: d.name,
    contactName: d.contact.name,
    contactPhone: d.contact.phone ?? "",
    unitCodes: d.unitIds.map((id) => units.get(id) ?? "").filter(Boolean).join("、"),
    active: activeText(d.active),
  }));
}

export async function departmentsExport(p: Principal, now: Date): Promise<XlsxFile> {
  return listExport(DEPARTMENTS, await departmentRows(p), now);
}
