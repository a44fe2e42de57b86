/**
 * The empty templates of the Excel lists (`GET /v1/<list>/template.xlsx`): header, key row, one
 * example row, validation lists, a help sheet; the registry's and the unit tree's list the caller's
 * own unit codes in their unit-code dropdowns (the units they may write). Only the layout
 * (core/xlsx/specs.ts), the writer (book-write.ts) and the unit tree's reads are loaded (issue #15).
 */
import { scopesFor, type Principal } from "../auth/principal.ts";
import type { Permission } from "../auth/roles.ts";
import { subtree, subtreeCodes } from "../unit/repo.ts";
import type { Unit } from "../unit/schema.ts";
import { writeBook, writeSheets, type SheetData } from "./book-write.ts";
import { FILE_NAME, isBookList, type BookList, type ListSpec, type XlsxList } from "./specs.ts";

/** A workbook to answer with, and its file name. */
export interface XlsxFile {
  bytes: Uint8Array;
  fileName: string;
}

/** The roots of a permission's scopes (nested ones dropped). */
export function roots(p: Principal, perm: Permission): string[] {
  const scopes = [...new Set(scopesFor(p, perm))].sort((a, b) => a.length - b.length);
  return scopes.filter((s, i) => !scopes.slice(0, i).some((t) => s.startsWith(t)));
}

/**
 * Unit codes in `localeCompare` order without the ICU collator in the common case: codes are digits
 * (core/unit/code.ts), and two digit strings compare under the collator as by code unit, while a
 * process's first localeCompare loads the collator (#15: ~5-10 ms of the excel area's first
 * template). Any other code pair still goes through localeCompare.
 */
const DIGITS = /^\d*$/;
export const byCode = (a: string, b: string): number => (DIGITS.test(a) && DIGITS.test(b) ? (a < b ? -1 : a > b ? 1 : 0) : a.localeCompare(b));

/** Active units under the caller's scopes of `perm`, by code. */
export async function unitsInScope(p: Principal, perm: Permission): Promise<Unit[]> {
  const out = new Map<string, Unit>();
  for (const root of roots(p, perm)) for (const u of await subtree(root, { activeOnly: true })) out.set(u.id, u);
  return [...out.values()].sort((a, b) => byCode(a.code, b.code));
}

/** The codes of the active units under the caller's scopes of `perm`, sorted (a dropdown: no boundaries read). */
export async function codesInScope(p: Principal, perm: Permission): Promise<string[]> {
  const out = new Map<string, string>();
  for (const root of roots(p, perm)) for (const u of await subtreeCodes(root, { activeOnly: true })) out.set(u.id, u.code);
  return [...out.values()].sort(byCode);
}

/** A book's sheets (`specs`, in order) with the run-time lists (the caller's unit codes). */
export async function sheetsOf(list: BookList, specs: ListSpec[], p: Principal, rows: Record<string, Record<string, string>[]> = {}): Promise<SheetData[]> {
  const codes = await codesInScope(p, list === "units" ? "units:write" : "registry:write");
  const key = list === "units" ? "parentCode" : "unitCode";
  return specs.map((spec) => ({ spec, rows: rows[spec.sheet] ?? [], lists: { [key]: codes } }));
}

/**
 * The empty template of a list, its sheets `specs` given by the route (each list's layout is a
 * module of its own: core/xlsx/spec-*.ts); the registry's and units': the caller's unit codes in
 * the dropdowns.
 */
export async function xlsxTemplate(list: XlsxList, specs: ListSpec[], p?: Principal): Promise<XlsxFile> {
  const bytes = isBookList(list) ? await writeSheets(await sheetsOf(list, specs, p!), { template: true }) : await writeBook(specs[0], [], { template: true });
  return { bytes, fileName: `${FILE_NAME[list]}-导入模板.xlsx` };
}
