/**
 * Excel imports of staff, departments and categories as background jobs (kind `xlsx-import`; the
 * registry's and the unit tree's workbooks: core/xlsx/import-registry.ts, import-units.ts).
 *
 * `startXlsxImport` (HTTP request, core/xlsx/import-start.ts) stores the workbook and queues the job;
 * the corrected file is core/xlsx/corrected.ts.
 * `runXlsxImport` (jobs queue consumer, around core/xlsx/import-run.ts): reads the sheet (core/xlsx/book.ts), checks each row
 * (lists.ts), writes the good records through the ordinary service writes (apply.ts), and finishes
 * with a line-numbered error list, the full problems beside the workbook for the corrected file, and
 * one audit entry. Good rows are written and bad rows reported (a corrected file fixed and uploaded
 * again writes the rest; rows already written are found unchanged).
 */
import { auditPut } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import type { Clock } from "../clock.ts";
import { InvalidError } from "../errors.ts";
import { putText } from "../job/files.ts";
import { addJobProgress, updateJob } from "../job/repo.ts";
import type { Job, JobError } from "../job/schema.ts";
import { clearColumn, columnLetter, readBook } from "./book.ts";
import { activationSheetKey, problemsKey, XLSX_IMPORT, XLSX_TYPE } from "./schema.ts";
import { putBytes } from "./files.ts";
import { problemReason, readCategoryRows, readDepartmentRows, readStaffRows, SPECS, type ListSpec, type RowProblem, type XlsxList } from "./lists.ts";
import type { ApplyResult } from "./apply.ts";
import { runXlsxJob, type Finish } from "./import-run.ts";

export { XLSX_IMPORT };

/** Data rows read from one sheet. */
export const MAX_XLSX_ROWS = 20_000;

const MAX_REASON = 500;

function toJobError(spec: ListSpec, columns: Map<string, number>, p: RowProblem): JobError {
  const col = p.key ? columns.get(p.key) : undefined;
  const params: Record<string, string | number> = { ...(p.params ?? {}) };
  if (p.key) params.field ??= p.key;
  if (col) params.column = columnLetter(col);
  const reason = `${col ? `${columnLetter(col)}: ` : ""}${problemReason(spec, p, "en")}`;
  return { line: p.line, ...(col ? { column: col } : {}), code: p.code, params, reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason };
}

/** A file-level problem (InvalidError with details.problem from book.ts) as the job's one error. */
function fileError(spec: ListSpec, e: InvalidError): JobError {
  const d = (e.details ?? {}) as { problem?: string; line?: number; missing?: string[] };
  const params: Record<string, string> = d.missing ? { missing: d.missing.join(", ") } : {};
  return { line: d.line ?? 0, code: d.problem ?? "xlsx_unreadable", params, reason: e.message };
}

/** Run an Excel import job of staff, departments or categories (core/xlsx/import-run.ts). */
export async function runXlsxImport(jobId: string, clock: Clock): Promise<void> {
  await runXlsxJob(jobId, clock, FLAT_LISTS, (job, list, bytes, principal, finish) => importWorkbook(job, list, bytes, principal, clock, finish));
}

/** The lists of one sheet each, run here. */
export const FLAT_LISTS: readonly XlsxList[] = ["staff", "departments", "categories"];

async function importWorkbook(job: Job, list: XlsxList, bytes: Uint8Array, principal: Principal, clock: Clock, finish: Finish): Promise<void> {
  const { sourceKey, fileName } = job.input as { sourceKey: string; fileName: string };
  const spec = SPECS[list];
  let sheet: Awaited<ReturnType<typeof readBook>>;
  try {
    sheet = await readBook(bytes, spec);
  } catch (e) {
    if (e instanceof InvalidError) return finish("failed", [fileError(spec, e)], 0, null);
    throw e;
  }
  const total = sheet.rows.length;
  if (!total) return finish("failed", [{ line: 0, code: "xlsx_empty", params: {}, reason: "The sheet has no data rows" }], 0, null);
  if (total > MAX_XLSX_ROWS) return finish("failed", [{ line: 0, code: "xlsx_too_large", params: { max: MAX_XLSX_ROWS }, reason: `The file has more than ${MAX_XLSX_ROWS} rows` }], 0, null);

  const present = new Set(sheet.columns.keys());
  const { applyCategories, applyDepartments, applyStaff } = await import("./apply.ts");
  let pending = 0;
  const ctx = {
    principal,
    jobId: job.id,
    now: () => clock.now(),
    // progress in steps of about 2 %, not one write per row
    progress: async (n: number) => {
      pending += n;
      if (pending >= Math.max(5, Math.ceil(total / 50))) {
        const add = pending;
        pending = 0;
        await addJobProgress(job.id, add, clock.now().toISOString());
      }
    },
  };
  let read: RowProblem[];
  let applied: ApplyResult;
  const startImporting = (rejected: RowProblem[]) =>
    updateJob(job.id, { status: "importing", total, done: new Set(rejected.map((p) => p.line)).size, updatedAt: clock.now().toISOString() });
  if (list === "staff") {
    const r = readStaffRows(sheet.rows);
    read = r.problems;
    await startImporting(read);
    applied = await applyStaff(r.accounts, ctx);
  } else if (list === "departments") {
    const r = readDepartmentRows(sheet.rows);
    read = r.problems;
    await startImporting(read);
    applied = await applyDepartments(r.departments, present, ctx);
  } else {
    const r = readCategoryRows(sheet.rows);
    read = r.problems;
    await startImporting(read);
    applied = await applyCategories(r.categories, present, ctx);
  }
  const problems = [...read, ...applied.problems].sort((a, b) => a.line - b.line);
  const rejectedLines = new Set(problems.map((p) => p.line));
  const errors = problems.map((p) => toJobError(spec, sheet.columns, p));
  await putText(problemsKey(job.id), JSON.stringify(errors), "application/json");
  if (list === "staff" && present.has("password")) {
    // initial passwords are not kept: the stored workbook keeps them only on the rows still to fix
    await putBytes(sourceKey, await clearColumn(bytes, spec, "password", rejectedLines), XLSX_TYPE);
  }
  // activation codes of the accounts created: a sheet for the admin who imported (core/xlsx/activation-sheet.ts)
  const codes = applied.activations ?? [];
  if (codes.length) {
    const { activationSheet } = await import("./activation-sheet.ts");
    await putBytes(activationSheetKey(job.id), await activationSheet(codes), XLSX_TYPE);
  }
  const result = { list, fileName, rows: total, created: applied.created, updated: applied.updated, unchanged: applied.unchanged, rejected: rejectedLines.size, problems: errors.length, ...(list === "staff" ? { activationCodes: codes.length } : {}) };
  const now = clock.now();
  const audit = auditPut(
    {
      actor: job.createdBy,
      action: `${list === "staff" ? "user" : list === "departments" ? "department" : "category"}.import`,
      entity: "job",
      entityId: job.id,
      summary: `Excel import of ${list} (${fileName}): ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.rejected} rows rejected`,
    },
    now,
  );
  await finish("succeeded", errors, total, result, [audit]);
}
