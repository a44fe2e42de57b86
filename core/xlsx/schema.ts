/** Inputs of the Excel routes (zod only: the API reference reads them without loading the workbook code). */
import * as z from "zod/mini";

/** The job kind of an Excel import (functions/jobs/consume.ts runs it with core/xlsx/import.ts). */
export const XLSX_IMPORT = "xlsx-import";

/** The files of an import job beside its workbook (`imports/<jobId>.xlsx`): every problem found, and the activation codes of a staff import. */
export const problemsKey = (jobId: string) => `imports/${jobId}.problems.json`;
/** The activation codes a staff import issued (JSON, IssuedCode[]): the download renders the sheet from them (core/xlsx/activation-codes.ts). */
export const activationCodesKey = (jobId: string) => `imports/${jobId}.activation.json`;
/** The sheet itself, as a staff import stored it before its codes were kept as data (kept downloadable). */
export const activationSheetKey = (jobId: string) => `imports/${jobId}.activation.xlsx`;

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Largest workbook accepted: its base64 stays within a Lambda request (6 MB); a county's 600 staff are about 40 KB. */
export const MAX_XLSX_BYTES = 4 * 1024 * 1024;

export const XlsxUpload = z.strictObject({
    /** the file's name as chosen (shown on the job and in the corrected file's name) */
    fileName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200), z.regex(/^[^\\/:*?"<>|\u0000-\u001f]+$/, "a file name without a path"))),
    /** the .xlsx workbook, base64 */
    content: z.string().check(z.minLength(4), z.maxLength(Math.ceil((MAX_XLSX_BYTES * 4) / 3) + 4, `at most ${MAX_XLSX_BYTES} bytes (4 MiB) of workbook`), z.regex(/^[A-Za-z0-9+/]+={0,2}$/, "base64")),
  });

export const CorrectedQuery = z.object({ lang: z._default(z.enum(["zh", "en"]), "zh") });
