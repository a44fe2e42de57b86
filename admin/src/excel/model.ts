/**
 * The Excel lists in the console (pure): which API paths serve each list, the error table's
 * rows from a job's errors, and the workbook as base64 for the import body. Routes and problem
 * codes: core/xlsx (docs/setup.md "Excel").
 */
import type { JobView } from "../units/importModel.ts";

export type ExcelList = "staff" | "departments" | "categories";
export const EXCEL_LISTS: readonly ExcelList[] = ["staff", "departments", "categories"];

/** The console resource and the API path segment of each list. */
export const LIST_RESOURCE: Record<ExcelList, "users" | "departments" | "categories"> = { staff: "users", departments: "departments", categories: "categories" };

export const isExcelList = (v: string | undefined): v is ExcelList => !!v && (EXCEL_LISTS as readonly string[]).includes(v);

export const templatePath = (list: ExcelList) => `/v1/${LIST_RESOURCE[list]}/template.xlsx`;
export const exportPath = (list: ExcelList) => `/v1/${LIST_RESOURCE[list]}/export.xlsx`;
const IMPORT_PATHS = { staff: "/v1/users/import.xlsx", departments: "/v1/departments/import.xlsx", categories: "/v1/categories/import.xlsx" } as const;
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
  code?: string;
  params: Record<string, string | number>;
  reason: string;
}

/** The job's errors as table rows, in row order. */
export function errorRows(job: Pick<JobView, "errors">): ErrorRow[] {
  return [...job.errors]
    .sort((a, b) => a.line - b.line)
    .map((e) => {
      const params = { ...(e.params ?? {}) };
      return {
        line: e.line,
        ...(typeof params.column === "string" ? { column: params.column } : {}),
        ...(typeof params.field === "string" ? { field: params.field } : {}),
        ...(e.code ? { code: e.code } : {}),
        params,
        reason: e.reason,
      };
    });
}

const HINT_OF: Record<string, string> = { isDispute: "yesno", police: "yesno", urgent: "yesno", claimWindow: "yesno", accept: "duration", claim: "duration", dispatch: "duration", handle: "duration", verify: "duration", evaluate: "duration", displayName: "text", name: "text" };
/** The hint message key for a column (core/xlsx/messages.ts hintKey): yes/no and deadline columns share theirs. */
export const hintKeyOf = (field: string): string => HINT_OF[field] ?? field;

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
