/**
 * The cell readers every workbook family shares (core/xlsx/lists.ts: staff, departments,
 * categories; registry-lists.ts: households, people, units): yes/no and active cells, code lists,
 * required cells, the generic one-row-per-record reader. Apart from lists.ts so that the registry's
 * and the unit tree's import runners load none of the other families' layouts and schemas (issue #15).
 */
import type * as z from "zod/mini";
import type { RowProblem } from "./reason.ts";
import type { ListSpec } from "./specs.ts";

const LIST_SEPARATORS = /[,，、;；\s]+/;

export function readActive(v: string): boolean | undefined | "invalid" {
  const t = v.trim().toLowerCase();
  if (!t) return undefined;
  if (["启用", "在用", "是", "true", "yes", "y", "1", "active"].includes(t)) return true;
  if (["停用", "禁用", "否", "false", "no", "n", "0", "inactive"].includes(t)) return false;
  return "invalid";
}

export function readYesNo(v: string): boolean | undefined | "invalid" {
  const t = v.trim().toLowerCase();
  if (!t) return undefined;
  if (["是", "true", "yes", "y", "1", "√"].includes(t)) return true;
  if (["否", "false", "no", "n", "0", "×"].includes(t)) return false;
  return "invalid";
}

export const splitCodes = (v: string): string[] => v.split(LIST_SEPARATORS).map((s) => s.trim()).filter(Boolean);

/** Shared row checks: required columns filled. */
export function requiredProblems(spec: ListSpec, line: number, cells: Record<string, string>, except: string[] = []): RowProblem[] {
  return spec.columns.filter((c) => c.required && !except.includes(c.key) && !cells[c.key]).map((c) => ({ line, key: c.key, code: "required" as const, params: { field: c.key } }));
}

export const invalid = (line: number, key: string, value: string, hint: string): RowProblem => ({ line, key, code: "invalid", params: { field: key, value, hint } });

export function zodHint(schema: z.ZodMiniType, value: unknown): string | undefined {
  const out = schema.safeParse(value);
  return out.success ? undefined : out.error.issues[0]?.message ?? "invalid";
}

// ---- the generic row reader --------------------------------------------------------------------

export type Cells = Record<string, string>;

/**
 * Read the rows of a one-row-per-record sheet: the required columns are checked, `read` turns the
 * cells into a record (pushing its problems to `own`), and a second row with the same key (`key`
 * of the record; none: no check) is a `duplicate_in_file` naming the first. A row with any problem
 * is left out.
 */
export function readRows<T>(
  spec: ListSpec,
  rows: Array<{ line: number; cells: Cells }>,
  read: (c: Cells, line: number, own: RowProblem[]) => T,
  key?: (record: T, c: Cells) => string | undefined,
  /** how the key is named in a duplicate's message (default the key column's cell; a masked form for an ID number) */
  shown?: (record: T, c: Cells) => string,
): { records: T[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const records: T[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of rows) {
    const own = requiredProblems(spec, line, cells);
    const record = read(cells, line, own);
    const k = key?.(record, cells);
    if (k !== undefined && k !== "") {
      const before = seen.get(k);
      if (before !== undefined) own.push({ line, key: spec.keyColumn, code: "duplicate_in_file", params: { value: shown?.(record, cells) ?? (cells[spec.keyColumn] || k), other: before } });
      else seen.set(k, line);
    }
    if (own.length) {
      problems.push(...own);
      continue;
    }
    records.push(record);
  }
  return { records, problems };
}

/** A reader of a value by its Chinese text or its key (any case). */
export function byText<K extends string>(table: Record<K, string>): (v: string) => K | undefined {
  const m = new Map<string, K>();
  for (const [k, zh] of Object.entries(table) as Array<[K, string]>) {
    m.set(zh, k);
    m.set(k.toLowerCase(), k);
  }
  return (v) => m.get(v.trim()) ?? m.get(v.trim().toLowerCase());
}

/** A whole number 0..max, or undefined when empty. */
export function readCount(v: string, max: number): number | undefined | "invalid" {
  const t = v.trim();
  if (!t) return undefined;
  if (!/^\d+$/.test(t)) return "invalid";
  const n = Number(t);
  return n <= max ? n : "invalid";
}

/** A value longer than `max`: its problem. */
export const tooLong = (line: number, key: string, v: string, max: number): RowProblem | undefined => (v.length > max ? invalid(line, key, v.slice(0, 20), `at most ${max} characters`) : undefined);
