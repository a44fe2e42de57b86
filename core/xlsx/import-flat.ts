/**
 * The import job of a one-sheet list's workbook (staff, departments, categories; kind `xlsx-import`),
 * around core/xlsx/import-run.ts: reads the sheet (core/xlsx/book.ts), checks and writes the rows
 * through the family's `FlatWrite` (its runner's: core/xlsx/import-staff-workbook.ts for staff, import.ts for
 * departments and categories, so that each loads only its own writes; issue #15), and finishes with
 * a line-numbered error list, the full problems beside the workbook for the corrected file, and one
 * audit entry. Good rows are written and bad rows reported (a corrected file fixed and uploaded
 * again writes the rest; rows already written are found unchanged). A staff import's initial
 * passwords are cleared from the stored workbook but on rows still to fix, and the activation codes
 * it issued are kept beside it as data for the admin's download (core/xlsx/activation-codes.ts).
 */
import { auditPut } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import type { Clock } from "../clock.ts";
import { InvalidError } from "../errors.ts";
import { putText } from "../job/files.ts";
import { updateJob } from "../job/repo.ts";
import { importContext } from "./import-context.ts";
import type { Job, JobError } from "../job/schema.ts";
import { clearColumn, columnLetter, readBook, type SheetRow } from "./book.ts";
import { activationCodesKey, problemsKey, XLSX_TYPE } from "./schema.ts";
import { putBytes } from "./files.ts";
import { problemReasonEn, type RowProblem } from "./reason.ts";
import type { ListSpec, XlsxList } from "./specs.ts";
import type { ApplyContext, ApplyResult } from "./apply-each.ts";
import type { Finish } from "./import-run.ts";

/** Data rows read from one sheet. */
export const MAX_XLSX_ROWS = 20_000;

const MAX_REASON = 500;

function toJobError(spec: ListSpec, columns: Map<string, number>, p: RowProblem): JobError {
  const col = p.key ? columns.get(p.key) : undefined;
  const params: Record<string, string | number> = { ...(p.params ?? {}) };
  if (p.key) params.field ??= p.key;
  if (col) params.column = columnLetter(col);
  const reason = `${col ? `${columnLetter(col)}: ` : ""}${problemReasonEn(spec, p)}`;
  return { line: p.line, ...(col ? { column: col } : {}), code: p.code, params, reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason };
}

/** A file-level problem (InvalidError with details.problem from book.ts) as the job's one error. */
function fileError(spec: ListSpec, e: InvalidError): JobError {
  const d = (e.details ?? {}) as { problem?: string; line?: number; missing?: string[] };
  const params: Record<string, string> = d.missing ? { missing: d.missing.join(", ") } : {};
  return { line: d.line ?? 0, code: d.problem ?? "xlsx_unreadable", params, reason: e.message };
}

/**
 * The checks and writes of one family's rows: problems read, then what was written. The job is
 * shown importing (`startImporting`, a write of the job) before the first row's write; reads may
 * go beside it.
 */
export type FlatWrite = (
  rows: SheetRow[],
  present: Set<string>,
  ctx: ApplyContext,
  startImporting: (read: RowProblem[]) => Promise<unknown>,
) => Promise<{ read: RowProblem[]; applied: ApplyResult }>;

/** Import the workbook of a claimed job of `list` (of `spec`), its rows written by `write`. */
export async function importFlatWorkbook(job: Job, list: XlsxList, spec: ListSpec, bytes: Uint8Array, principal: Principal, clock: Clock, finish: Finish, write: FlatWrite): Promise<void> {
  const { sourceKey, fileName } = job.input as { sourceKey: string; fileName: string };
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
  const ctx = importContext(job.id, principal, clock, total);
  const startImporting = (rejected: RowProblem[]) =>
    updateJob(job.id, { status: "importing", total, done: new Set(rejected.map((p) => p.line)).size, updatedAt: clock.now().toISOString() });
  const { read, applied } = await write(sheet.rows, present, ctx, startImporting);
  const problems = [...read, ...applied.problems].sort((a, b) => a.line - b.line);
  const rejectedLines = new Set(problems.map((p) => p.line));
  const errors = problems.map((p) => toJobError(spec, sheet.columns, p));
  const codes = applied.activations ?? [];
  // the objects to write, at once (each its own key; the job's finish comes after all of them):
  await Promise.all([
    // the problems, for the corrected file; none and no earlier run (this is the job's first claim)
    // that could have left some: nothing to write, the corrected file then reads the job's own (none)
    errors.length || job.attempts > 1 ? putText(problemsKey(job.id), JSON.stringify(errors), "application/json") : undefined,
    // initial passwords are not kept: the stored workbook keeps them only on the rows still to fix
    // (rewritten only when a row written had one: emptying empty cells would change nothing)
    list === "staff" && present.has("password") && sheet.rows.some((r) => r.cells.password && !rejectedLines.has(r.line))
      ? clearColumn(bytes, spec, "password", rejectedLines).then((cleared) => putBytes(sourceKey, cleared, XLSX_TYPE))
      : undefined,
    // activation codes of the accounts created, for the admin who imported: kept as data beside the
    // workbook (the same bucket, prefix and retention as the sheet was); the download renders the sheet
    // (core/xlsx/activation-codes.ts), so the job loads no workbook writer (issue #15)
    codes.length ? putText(activationCodesKey(job.id), JSON.stringify(codes), "application/json") : undefined,
  ]);
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
