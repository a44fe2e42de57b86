/** The categories export (`GET /v1/categories/export.xlsx`): the whole county's categories with their deadlines. */
import type { Principal } from "../auth/principal.ts";
import { listCategories } from "../category/service.ts";
import { getCategories } from "../category/repo.ts";
import type { Category } from "../category/schema.ts";
import { activeText, departmentCodes, listExport, readAll, yesNo, type XlsxFile } from "./export.ts";
import { CATEGORIES, durationText, STAGES } from "./spec-categories.ts";

export async function categoryRows(p: Principal): Promise<Record<string, string>[]> {
  const list = await readAll<Category>((q) => listCategories(p, q));
  const byId = new Map(list.map((c) => [c.id, c]));
  const missingParents = list.flatMap((c) => (c.parentId && !byId.has(c.parentId) ? [c.parentId] : []));
  for (const [id, c] of await getCategories(missingParents)) byId.set(id, c);
  const depts = await departmentCodes(list.flatMap((c) => c.departmentIds ?? []));
  return list.map((c) => ({
    code: c.code,
    name: c.name,
    parentCode: c.parentId ? (byId.get(c.parentId)?.code ?? "") : "",
    isDispute: yesNo(c.isDispute),
    police: yesNo(c.police),
    urgent: yesNo(c.urgent),
    claimWindow: yesNo(c.claimWindow),
    departmentCodes: c.departmentIds ? c.departmentIds.map((id) => depts.get(id) ?? "").filter(Boolean).join("、") : "",
    ...Object.fromEntries(STAGES.map((s) => [s, durationText(c.deadlines?.[s])])),
    active: activeText(c.active),
  }));
}

export async function categoriesExport(p: Principal, now: Date): Promise<XlsxFile> {
  return listExport(CATEGORIES, await categoryRows(p), now);
}
