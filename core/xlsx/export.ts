/**
 * Templates and exports of the Excel lists, in the import's column layout (core/xlsx/lists.ts): an
 * export can be edited and uploaded again, and an unchanged export imports as `unchanged`.
 * - staff: the accounts the caller may read (users:read scope), one row per role assignment;
 *   initial passwords are never exported;
 * - departments, categories: the whole county (county-wide reference data).
 */
import { countyDay } from "../aggregate/apply.ts";
import type { Principal } from "../auth/principal.ts";
import type { Page } from "../db/page.ts";
import { listCategories } from "../category/service.ts";
import { getCategories } from "../category/repo.ts";
import type { Category } from "../category/schema.ts";
import { getDepartments } from "../department/repo.ts";
import { listDepartments } from "../department/service.ts";
import type { Department } from "../department/schema.ts";
import { getUnits } from "../unit/repo.ts";
import { listStaff } from "../user/service.ts";
import type { User } from "../user/schema.ts";
import { writeBook } from "./book.ts";
import { isBookList } from "./import-book.ts";
import { durationText, ROLE_ZH, SPECS, STAGES, type XlsxList } from "./lists.ts";

/** Every page of a list read through its service (the caller's visibility applies). */
async function readAll<T>(list: (q: Record<string, unknown>) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit: 200, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

const activeText = (a: boolean) => (a ? "启用" : "停用");
const yesNo = (v: boolean | undefined) => (v === undefined ? "" : v ? "是" : "否");

async function unitCodes(ids: string[]): Promise<Map<string, string>> {
  const units = await getUnits(ids);
  return new Map([...units].map(([id, u]) => [id, u.code]));
}

async function departmentCodes(ids: string[]): Promise<Map<string, string>> {
  const found = await getDepartments(ids);
  return new Map([...found].map(([id, d]) => [id, d.code]));
}

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

const ROWS: Record<"staff" | "departments" | "categories", (p: Principal) => Promise<Record<string, string>[]>> = { staff: staffRows, departments: departmentRows, categories: categoryRows };
const FILE: Record<XlsxList, string> = { staff: "人员", departments: "职能部门", categories: "事件分类", households: "住户", people: "人口", units: "单位" };

export interface XlsxFile {
  bytes: Uint8Array;
  fileName: string;
}

/** The empty template of a list: header, key row, one example row, validation lists, a help sheet (the registry's and units': the caller's unit codes in the dropdowns). */
export async function xlsxTemplate(list: XlsxList, p?: Principal): Promise<XlsxFile> {
  if (isBookList(list)) {
    const { bookTemplate } = await import("./export-book.ts");
    return { bytes: await bookTemplate(list, p!), fileName: `${FILE[list]}-导入模板.xlsx` };
  }
  return { bytes: await writeBook(SPECS[list], [], { template: true }), fileName: `${FILE[list]}-导入模板.xlsx` };
}

/** The list as the caller sees it, in the template's layout. */
export async function xlsxExport(p: Principal, list: XlsxList, now: Date): Promise<XlsxFile> {
  const day = countyDay(now);
  if (isBookList(list)) {
    const { bookExport } = await import("./export-book.ts");
    return { bytes: await bookExport(list, p, now), fileName: `${FILE[list]}-${day}.xlsx` };
  }
  const rows = await ROWS[list](p);
  return { bytes: await writeBook(SPECS[list], rows, { template: false }), fileName: `${FILE[list]}-${day}.xlsx` };
}
