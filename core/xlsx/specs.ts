/**
 * The lists counties keep in Excel, as sheets (pure data): their columns (Chinese name, machine key,
 * required, validation list, help), the example row of the template and the notes of the help
 * sheet. Templates, exports and imports share one layout, so an export can be edited and imported
 * again. The readers of a filled row are in core/xlsx/lists.ts and registry-lists.ts; this module
 * imports no schema values, so a template or export route loads only the layout (issue #15).
 */
import * as z from "zod/mini";
import type { Permission } from "../auth/roles.ts";

export const XlsxList = z.enum(["staff", "departments", "categories", "households", "people", "units"]);
export type XlsxList = z.infer<typeof XlsxList>;

export interface Column {
  key: string;
  zh: string;
  en: string;
  required?: boolean;
  /** stored as text (codes with leading zeros, phone numbers) */
  text?: boolean;
  width?: number;
  /** a data validation list (Chinese values) */
  list?: string[];
  help?: string;
  /** other header names read as this column */
  aliases?: string[];
}

export interface ListSpec {
  list: XlsxList;
  sheet: string;
  /** the column whose value identifies a record (re-imports update it) */
  keyColumn: string;
  columns: Column[];
  example: Record<string, string>;
  notes: string[];
}

export const ACTIVE = ["启用", "停用"];
export const YES_NO = ["是", "否"];

/** The lists whose workbook is a book of their own (several sheets, run-time dropdowns): the registry's and the unit tree's (core/xlsx/import-book.ts). */
export type BookList = "households" | "people" | "units";
export const BOOK_LISTS: readonly BookList[] = ["households", "people", "units"];
export const isBookList = (l: XlsxList): l is BookList => (BOOK_LISTS as readonly string[]).includes(l);

/** The Chinese name of each list's workbook file (`人员-导入模板.xlsx`, `人员-2026-12-05.xlsx`). */
export const FILE_NAME: Record<XlsxList, string> = { staff: "人员", departments: "职能部门", categories: "事件分类", households: "住户", people: "人口", units: "单位" };

/** The permission of a list's import and template (that of creating its records) and of its export (reading them). */
export const WRITE_PERMISSION: Record<XlsxList, Permission> = { staff: "users:write", departments: "departments:write", categories: "categories:write", households: "registry:write", people: "registry:write", units: "units:write" };
export const READ_PERMISSION: Record<XlsxList, Permission> = { staff: "users:read", departments: "departments:read", categories: "categories:read", households: "registry:read", people: "registry:read", units: "units:read" };

/** Each list's sheets are in a module of its own (spec-staff.ts, spec-departments.ts, spec-categories.ts, spec-registry.ts, spec-units.ts; all of them by list in spec-all.ts), so a route loads only its list's layout. */
