/**
 * `GET /v1/jobs/{id}/corrected.xlsx`: the uploaded workbook of a finished Excel import with an
 * `错误` column on the rejected rows (their reasons in the asked language), so the clerk fixes those
 * rows and uploads the file again. Loads the reader and the problems' texts, not the import's
 * row checks and writes (issue #15).
 */
import type { Principal } from "../auth/principal.ts";
import { InvalidError, NotFoundError, ConflictError } from "../errors.ts";
import { parse } from "../validate.ts";
import { getBytes, getText } from "../job/files.ts";
import { importFileGone, isMissingObject } from "../job/retention.ts";
import { getJob } from "../job/repo.ts";
import { canSeeJob } from "../job/service.ts";
import { TERMINAL, type JobError } from "../job/schema.ts";
import { correctedBook, correctedSheets } from "./book.ts";
import { problemReason, type RowProblem } from "./reason.ts";
import { CorrectedQuery, problemsKey, XLSX_IMPORT } from "./schema.ts";
import { BOOKS, isBookList, SPECS, type BookList, type XlsxList } from "./spec-all.ts";

/**
 * The uploaded workbook of a finished Excel import with an `错误` column: each rejected row carries
 * its reasons (in `lang`), so the clerk fixes those rows and uploads the file again.
 */
export async function correctedFile(p: Principal, jobId: string, query: unknown): Promise<{ bytes: Uint8Array; fileName: string }> {
  const { lang } = parse(CorrectedQuery, query, "query");
  const job = await getJob(jobId, true);
  if (!job || !canSeeJob(p, job) || job.kind !== XLSX_IMPORT) throw new NotFoundError(`Job ${jobId} not found`);
  if (!TERMINAL.includes(job.status)) throw new ConflictError("The import is still running; the corrected file is ready when it ends", { status: job.status });
  const { list, sourceKey, fileName } = job.input as { list: XlsxList; sourceKey: string; fileName: string };
  const spec = SPECS[list];
  let errors: JobError[];
  try {
    errors = JSON.parse(await getText(problemsKey(job.id))) as JobError[];
  } catch (e) {
    if ((e as Error).name !== "NoSuchKey") throw e;
    errors = job.errors; // a file that could not be read has only the job's errors
  }
  const reasons = new Map<number, string>();
  for (const e of errors) {
    const text = e.code ? `${e.params?.column ? `${e.params.column}列：` : ""}${problemReason(spec, { code: e.code as RowProblem["code"], params: e.params, key: e.params?.field as string | undefined }, lang)}` : e.reason;
    reasons.set(e.line, reasons.has(e.line) ? `${reasons.get(e.line)}；${text}` : text);
  }
  let bytes: Uint8Array;
  try {
    bytes = await getBytes(sourceKey);
  } catch (e) {
    // the uploaded workbook was deleted by the retention job (privacy.importFileRetentionDays): 410, not a 5xx
    if (isMissingObject(e)) throw await importFileGone("uploaded workbook");
    throw e;
  }
  const base = fileName.replace(/\.xlsx$/i, "");
  try {
    const out = isBookList(list) ? await correctedBookBytes(list, bytes, errors, lang) : await correctedBook(bytes, spec, reasons, { header: lang === "zh" ? "错误" : "Errors" });
    return { bytes: out, fileName: `${base}-${lang === "zh" ? "待修改" : "to-fix"}.xlsx` };
  } catch (e) {
    if (e instanceof InvalidError) return { bytes, fileName: `${base}.xlsx` }; // the file itself could not be read: give it back as it was
    throw e;
  }
}

/** The corrected workbook of a registry or unit import: each sheet's rejected rows with their reasons. */
export async function correctedBookBytes(list: BookList, bytes: Uint8Array, errors: JobError[], lang: "zh" | "en"): Promise<Uint8Array> {
  const specs = BOOKS[list];
  const reasons = new Map<string, Map<number, string>>();
  for (const e of errors) {
    const spec = specs.find((s) => s.sheet === e.params?.sheet) ?? specs[specs.length - 1];
    const text = e.code ? `${e.params?.column ? `${e.params.column}${lang === "zh" ? "列：" : ": "}` : ""}${problemReason(spec, { code: e.code as RowProblem["code"], params: e.params, key: e.params?.field as string | undefined }, lang)}` : e.reason;
    const m = reasons.get(spec.sheet) ?? new Map<number, string>();
    m.set(e.line, m.has(e.line) ? `${m.get(e.line)}${lang === "zh" ? "；" : "; "}${text}` : text);
    reasons.set(spec.sheet, m);
  }
  return correctedSheets(bytes, specs, reasons, { header: lang === "zh" ? "错误" : "Errors" });
}
