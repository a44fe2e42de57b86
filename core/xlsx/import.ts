/**
 * Excel imports of staff, departments and categories as background jobs (kind `xlsx-import`).
 *
 * `startXlsxImport` (HTTP request, `POST /v1/{users|departments|categories}/import.xlsx`): checks the
 * body (`{fileName, content}` with the workbook in base64), stores the workbook as
 * `imports/<jobId>.xlsx`, creates the job (with its Idempotency-Key record) and queues it.
 * `runXlsxImport` (jobs queue consumer): reads the sheet (core/xlsx/book.ts), checks each row
 * (lists.ts), writes the good records through the ordinary service writes (apply.ts), and finishes
 * with a line-numbered error list, the full problems beside the workbook for the corrected file, and
 * one audit entry. Good rows are written and bad rows reported (a corrected file fixed and uploaded
 * again writes the rest; rows already written are found unchanged).
 */
import { ulid } from "ulid";
import { actorOf, auditPut } from "../audit/entry.ts";
import { scopesFor, type Principal } from "../auth/principal.ts";
import type { Permission } from "../auth/roles.ts";
import type { Clock } from "../clock.ts";
import { InvalidError, NotFoundError, ConflictError, TooLargeError } from "../errors.ts";
import { logger } from "../log.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { parse } from "../validate.ts";
import { errorReportCsv } from "../job/csv.ts";
import { enqueueJob } from "../job/enqueue.ts";
import { getBytes, getText, putText } from "../job/files.ts";
import { importFileGone, isMissingObject } from "../job/retention.ts";
import { addJobProgress, finishJob, getJob, insertJob, jobIdByIdempotencyKey, updateJob } from "../job/repo.ts";
import { canSeeJob } from "../job/service.ts";
import { IdempotencyKey, MAX_JOB_ATTEMPTS, MAX_JOB_ERRORS, TERMINAL, type Job, type JobError } from "../job/schema.ts";
import { getUser } from "../user/repo.ts";
import { clearColumn, columnLetter, correctedBook, readBook } from "./book.ts";
import { CorrectedQuery, MAX_XLSX_BYTES, XLSX_IMPORT, XLSX_TYPE, XlsxUpload } from "./schema.ts";
import { putBytes } from "./files.ts";
import { problemReason, readCategoryRows, readDepartmentRows, readStaffRows, SPECS, type ListSpec, type RowProblem, type XlsxList } from "./lists.ts";
import type { ApplyResult } from "./apply.ts";
import { correctedBookBytes, importBook, isBookList } from "./import-book.ts";

export { CorrectedQuery, MAX_XLSX_BYTES, XlsxUpload };

export { XLSX_IMPORT };

/** Data rows read from one sheet. */
export const MAX_XLSX_ROWS = 20_000;

/** The permission of a list's import and template (that of creating its records) and of its export (reading them). */
export const WRITE_PERMISSION: Record<XlsxList, Permission> = { staff: "users:write", departments: "departments:write", categories: "categories:write", households: "registry:write", people: "registry:write", units: "units:write" };
export const READ_PERMISSION: Record<XlsxList, Permission> = { staff: "users:read", departments: "departments:read", categories: "categories:read", households: "registry:read", people: "registry:read", units: "units:read" };

/** Checks only the caller's right on the list: county-wide for departments and categories. */
function requireListWrite(p: Principal, list: XlsxList): void {
  if (list === "departments" || list === "categories") requireCountyWide(p, WRITE_PERMISSION[list]);
}

/** Queue an import of the workbook in the body. With an Idempotency-Key, a repeated request returns the first job. */
export async function startXlsxImport(p: Principal, list: XlsxList, body: unknown, now: Date, idempotencyKey?: string): Promise<{ jobId: string; replayed: boolean }> {
  requireListWrite(p, list);
  const data = parse(XlsxUpload, body, "upload");
  const key = idempotencyKey === undefined ? undefined : parse(IdempotencyKey, idempotencyKey, "Idempotency-Key header");
  const callerId = `${p.kind}:${p.id}`;
  if (key) {
    const prior = await jobIdByIdempotencyKey(callerId, key);
    if (prior) {
      const j = await getJob(prior, true);
      if (j?.status === "queued") await enqueueJob({ kind: XLSX_IMPORT, jobId: prior });
      return { jobId: prior, replayed: true };
    }
  }
  const bytes = Buffer.from(data.content, "base64");
  if (bytes.byteLength > MAX_XLSX_BYTES) throw new TooLargeError(`The workbook is larger than ${MAX_XLSX_BYTES} bytes`, { limit: MAX_XLSX_BYTES });
  // an .xlsx is a zip: anything else (an old .xls, a CSV renamed) is refused at once
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) {
    throw new InvalidError("The file is not an Excel workbook (.xlsx); save it as .xlsx (Excel 2007 or later)", { problem: "xlsx_unreadable", fields: [{ path: "content", message: "not an .xlsx workbook" }] });
  }
  const jobId = ulid(now.getTime());
  const sourceKey = `imports/${jobId}.xlsx`;
  await putBytes(sourceKey, bytes, XLSX_TYPE);
  const at = now.toISOString();
  const job: Job = {
    id: jobId,
    kind: XLSX_IMPORT,
    status: "queued",
    total: 0,
    done: 0,
    errors: [],
    errorCount: 0,
    input: { list, sourceKey, fileName: data.fileName ?? `${list}.xlsx` },
    result: null,
    createdBy: actorOf(p),
    scopes: scopesFor(p, WRITE_PERMISSION[list]),
    attempts: 0,
    createdAt: at,
    updatedAt: at,
  };
  const out = await insertJob(job, key ? { callerId, key, now } : undefined);
  if (!out.created) return { jobId: out.jobId, replayed: true };
  await enqueueJob({ kind: XLSX_IMPORT, jobId });
  return { jobId, replayed: false };
}

/** The principal the job acts as: its creator as they are now (a deactivated creator's job stops). */
async function actingPrincipal(job: Job, list: XlsxList): Promise<Principal | undefined> {
  const c = job.createdBy;
  if (c.kind === "user") {
    const u = await getUser(c.id);
    return u?.active ? { kind: "user", id: u.id, username: u.username, assignments: u.assignments } : undefined;
  }
  if (c.kind === "api_key") return { kind: "api_key", id: c.id, permissions: [WRITE_PERMISSION[list]], unitPath: job.scopes[0] };
  if (c.kind === "system") return { kind: "system", id: c.id };
  return undefined;
}

const MAX_REASON = 500;
const problemsKey = (jobId: string) => `imports/${jobId}.problems.json`;
export const activationSheetKey = (jobId: string) => `imports/${jobId}.activation.xlsx`;

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

/**
 * Run an Excel import job. A finished job is left alone; a job interrupted halfway runs again from
 * the start and converges (records already written are found unchanged). Unexpected errors are
 * rethrown (the message comes back) until the last attempt, which marks the job failed.
 */
export async function runXlsxImport(jobId: string, clock: Clock): Promise<void> {
  const job = await getJob(jobId, true);
  if (!job) {
    logger.warn("xlsx import job not found", { jobId });
    return;
  }
  if (TERMINAL.includes(job.status)) return;
  const at0 = clock.now().toISOString();
  const claimed = await updateJob(jobId, { status: "validating", startedAt: at0, updatedAt: at0, done: 0 }, { from: ["queued", "validating", "importing"], addAttempt: true, attempts: job.attempts ?? 0 });
  if (!claimed) return;
  try {
    await importWorkbook(job, clock);
  } catch (e) {
    if (job.attempts + 1 < MAX_JOB_ATTEMPTS) throw e;
    logger.error("xlsx import job failed", { jobId, error: (e as Error).message });
    const at = clock.now().toISOString();
    await finishJob(jobId, { status: "failed", errors: [{ line: 0, reason: "the import stopped on an internal error; upload the file again (rows already written are kept)" }], errorCount: 1, updatedAt: at, finishedAt: at });
  }
}

async function importWorkbook(job: Job, clock: Clock): Promise<void> {
  const { list, sourceKey, fileName } = job.input as { list: XlsxList; sourceKey: string; fileName: string };
  const spec = SPECS[list];
  const finish = async (status: "succeeded" | "failed", errors: JobError[], total: number, result: Job["result"], extraOps: any[] = []) => {
    const at = clock.now().toISOString();
    let errorReportKey: string | undefined;
    if (errors.length) {
      errorReportKey = `imports/${job.id}.errors.csv`;
      await putText(errorReportKey, errorReportCsv(errors.map((e) => ({ line: e.line, reason: e.reason }))), "text/csv; charset=utf-8");
    }
    await finishJob(job.id, { status, total, done: total, errors: errors.slice(0, MAX_JOB_ERRORS), errorCount: errors.length, errorReportKey, result, updatedAt: at, finishedAt: at }, extraOps);
  };
  const principal = await actingPrincipal(job, list);
  if (!principal) return finish("failed", [{ line: 0, code: "refused", params: { message: "account inactive" }, reason: "the account that started this import is no longer active" }], 0, null);

  let bytes: Uint8Array;
  try {
    bytes = await getBytes(sourceKey);
  } catch (e) {
    if ((e as Error).name === "NoSuchKey") return finish("failed", [{ line: 0, reason: "the file of this import is missing; upload it again" }], 0, null);
    throw e;
  }
  // the registry's and the unit tree's workbooks (several sheets, personal data): core/xlsx/import-book.ts
  if (isBookList(list)) return importBook(job, list, bytes, principal, clock, finish, problemsKey(job.id));
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
