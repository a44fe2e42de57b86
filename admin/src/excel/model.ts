/**
 * The Excel lists in the console (pure): which API paths serve each list, the error table's
 * rows from a job's errors, and the workbook as base64 for the import body. Routes and problem
 * codes: core/xlsx (docs/setup.md "Excel").
 */
import type { JobView } from "../units/importModel.ts";
import { hintKey } from "../../../core/xlsx/messages.ts";

export type ExcelList = "staff" | "departments" | "categories" | "households" | "people" | "units";
export const EXCEL_LISTS: readonly ExcelList[] = ["staff", "departments", "categories", "households", "people", "units"];

/** The console resource of each list. */
export const LIST_RESOURCE: Record<ExcelList, "users" | "departments" | "categories" | "households" | "people" | "units"> = {
  staff: "users",
  departments: "departments",
  categories: "categories",
  households: "households",
  people: "people",
  units: "units",
};
/** The API path of each list's records. */
const API_PATH: Record<ExcelList, string> = { staff: "/v1/users", departments: "/v1/departments", categories: "/v1/categories", households: "/v1/registry/households", people: "/v1/registry/people", units: "/v1/units" };

export const isExcelList = (v: string | undefined): v is ExcelList => !!v && (EXCEL_LISTS as readonly string[]).includes(v);

export const templatePath = (list: ExcelList) => `${API_PATH[list]}/template.xlsx`;
export const exportPath = (list: ExcelList) => `${API_PATH[list]}/export.xlsx`;
const IMPORT_PATHS = {
  staff: "/v1/users/import.xlsx",
  departments: "/v1/departments/import.xlsx",
  categories: "/v1/categories/import.xlsx",
  households: "/v1/registry/households/import.xlsx",
  people: "/v1/registry/people/import.xlsx",
  units: "/v1/units/import.xlsx",
} as const;
export const importPath = <L extends ExcelList>(list: L): (typeof IMPORT_PATHS)[L] => IMPORT_PATHS[list];
export const correctedPath = (jobId: string) => `/v1/jobs/${encodeURIComponent(jobId)}/corrected.xlsx`;

/** Largest workbook the API takes (core/xlsx/import.ts MAX_XLSX_BYTES). */
export const MAX_XLSX_BYTES = 4 * 1024 * 1024;

export interface ErrorRow {
  /** the row as Excel numbers it (0: the file as a whole) */
  line: number;
  /** column letter, when the problem is in one cell */
  column?: string;
  /** the column's key (translated as a field name) */
  field?: string;
  /** the sheet, in a workbook of several (households and people) */
  sheet?: string;
  code?: string;
  params: Record<string, string | number>;
  reason: string;
}

/** The job's errors as table rows, in row order. */
export function errorRows(job: Pick<JobView, "errors">): ErrorRow[] {
  return [...job.errors]
    .sort((a, b) => String(a.params?.sheet ?? "").localeCompare(String(b.params?.sheet ?? "")) || a.line - b.line)
    .map((e) => {
      const params = { ...(e.params ?? {}) };
      return {
        line: e.line,
        ...(typeof params.column === "string" ? { column: params.column } : {}),
        ...(typeof params.field === "string" ? { field: params.field } : {}),
        ...(typeof params.sheet === "string" ? { sheet: params.sheet } : {}),
        ...(e.code ? { code: e.code } : {}),
        params,
        reason: e.reason,
      };
    });
}

/** The hint message key for a column of a list (core/xlsx/messages.ts, the server's table): yes/no and deadline columns share theirs. */
export const hintKeyOf = (field: string, list?: ExcelList): string => hintKey(field, list);

/** Bytes as base64 (chunked: a spread of a large array overflows the call stack). */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The file name from a Content-Disposition header (the UTF-8 `filename*` first). */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="([^"]+)"/i.exec(disposition);
  return plain?.[1] ?? fallback;
}
