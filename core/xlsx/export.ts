/**
 * Exports of the Excel lists, in the import's column layout (core/xlsx/specs.ts): an export can be
 * edited and uploaded again, and an unchanged export imports as `unchanged`. Each list's rows are in
 * a module of their own (export-staff.ts, export-departments.ts, export-categories.ts, and
 * export-book.ts for the registry and the unit tree), so an export route loads only its list's
 * service (issue #15). Here: what they share.
 * - staff: the accounts the caller may read (users:read scope), one row per role assignment;
 *   initial passwords are never exported;
 * - departments, categories: the whole county (county-wide reference data).
 */
import type { Page } from "../db/page.ts";
import { getDepartments } from "../department/repo.ts";
import { getUnits } from "../unit/repo.ts";
import { writeBook } from "./book-write.ts";
import { FILE_NAME, type ListSpec, type XlsxList } from "./specs.ts";
import type { XlsxFile } from "./template.ts";

export type { XlsxFile };

/** Every page of a list read through its service (the caller's visibility applies). */
export async function readAll<T>(list: (q: Record<string, unknown>) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit: 200, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

export const activeText = (a: boolean) => (a ? "启用" : "停用");
export const yesNo = (v: boolean | undefined) => (v === undefined ? "" : v ? "是" : "否");

export async function unitCodes(ids: string[]): Promise<Map<string, string>> {
  const units = await getUnits(ids);
  return new Map([...units].map(([id, u]) => [id, u.code]));
}

export async function departmentCodes(ids: string[]): Promise<Map<string, string>> {
  const found = await getDepartments(ids);
  return new Map([...found].map(([id, d]) => [id, d.code]));
}

/** An export's file name: the list's name and the county day (`职能部门-2026-12-05.xlsx`). */
export const exportFileName = (list: XlsxList, now: Date) =>
  `${FILE_NAME[list]}-${new Intl.DateTimeFormat("en-CA", { timeZone: process.env.COUNTY_TZ ?? "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(now)}.xlsx`;

/** A one-sheet list's export: its rows in the template's layout. */
export async function listExport(spec: ListSpec, rows: Record<string, string>[], now: Date): Promise<XlsxFile> {
  return { bytes: await writeBook(spec, rows, { template: false }), fileName: exportFileName(spec.list, now) };
}
