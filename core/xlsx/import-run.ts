/**
 * What every Excel import job does around its workbook (kind `xlsx-import`): claim the job, a
 * conditional write that also reads it (a finished one is left alone; an interrupted one runs again
 * from the start and converges, as records already written are found unchanged), act as its creator
 * as they are now, read the stored workbook (from the claim on), and finish with the line-numbered
 * errors (the CSV report beside it). The workbook itself is read and written by its family's runner,
 * one lazy module each in the jobs consumer (functions/jobs/consume.ts), so that a container loads
 * only the family it ran (issue #15):
 * - staff, departments, categories: core/xlsx/import.ts;
 * - households, people (the registry's workbook): core/xlsx/import-registry.ts;
 * - units (the unit tree's workbook): core/xlsx/import-units.ts.
 * Unexpected errors are rethrown (the message comes back) until the last attempt, which marks the job failed.
 */
import type { Principal } from "../auth/principal.ts";
import type { Clock } from "../clock.ts";
import { logger } from "../log.ts";
import { errorReportCsv } from "../job/csv.ts";
import { getBytes, jobInputKey, putText } from "../job/files.ts";
import { claimJob, finishJob } from "../job/repo.ts";
import { jobRun } from "../job/run.ts";
import { MAX_JOB_ATTEMPTS, MAX_JOB_ERRORS, TERMINAL, type Job, type JobError } from "../job/schema.ts";
import { getUser } from "../user/repo.ts";
import { WRITE_PERMISSION, type XlsxList } from "./specs.ts";

export type Finish = (status: "succeeded" | "failed", errors: JobError[], total: number, result: Job["result"], extraOps?: any[]) => Promise<void>;

/** One family's work on the workbook of a claimed job. */
export type ImportWorkbook = (job: Job, list: XlsxList, bytes: Uint8Array, principal: Principal, finish: Finish) => Promise<void>;

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

/**
 * Run an Excel import job of one of `lists` (its family). A job of another family here is a
 * routing fault of the consumer: thrown, so the message ends in the DLQ instead of a wrong import.
 * `importWorkbook` may still be loading (a family's runner starts loading its workbook code, the
 * larger part, as it calls this): the job is claimed meanwhile, and it is awaited only once the job
 * is claimed.
 */
export function runXlsxJob(jobId: string, clock: Clock, lists: readonly XlsxList[], importWorkbook: ImportWorkbook | Promise<ImportWorkbook>): Promise<void> {
  // a load that fails is reported where it is awaited (never, when the job is not claimed)
  Promise.resolve(importWorkbook).catch(() => undefined);
  return jobRun(clock, () => runJob(jobId, clock, lists, importWorkbook));
}

/** The stored workbook's bytes, or why not (never rejects: read ahead, it may never be awaited). */
type Read = Promise<{ bytes: Uint8Array } | { error: Error }>;
const readWorkbook = (key: string): Read =>
  getBytes(key).then(
    (bytes) => ({ bytes }),
    (error: Error) => ({ error }),
  );

async function runJob(jobId: string, clock: Clock, lists: readonly XlsxList[], importWorkbook: ImportWorkbook | Promise<ImportWorkbook>): Promise<void> {
  const at0 = clock.now().toISOString();
  // the claim reads the job too (one round trip): refused for a missing or finished job, a job of
  // another family (left queued as it is) and one another run holds (JobLeaseHeldError)
  const claiming = claimJob(jobId, { status: "validating", startedAt: at0, updatedAt: at0, done: 0 }, { from: ["queued", "validating", "importing"], input: { list: lists } });
  // the workbook is read while the job is claimed, at the key its request stored it under
  // (core/xlsx/import-start.ts); used only when the claimed job names that key
  const early = { key: jobInputKey(jobId, "xlsx"), read: readWorkbook(jobInputKey(jobId, "xlsx")) };
  const claim = await claiming;
  if ("refused" in claim) {
    const found = claim.refused;
    if (!found) logger.warn("xlsx import job not found", { jobId });
    else if (!TERMINAL.includes(found.status)) {
      const list = (found.input as { list: XlsxList }).list;
      if (!lists.includes(list)) throw new Error(`xlsx import job ${jobId} of list ${list} sent to the runner of ${lists.join(", ")}`);
    }
    return;
  }
  const job = claim.job;
  const list = (job.input as { list: XlsxList }).list;
  try {
    await claimedJob(job, list, clock, importWorkbook, early);
  } catch (e) {
    if (job.attempts < MAX_JOB_ATTEMPTS) throw e;
    logger.error("xlsx import job failed", { jobId, error: (e as Error).message });
    const at = clock.now().toISOString();
    await finishJob(jobId, { status: "failed", errors: [{ line: 0, reason: "the import stopped on an internal error; upload the file again (rows already written are kept)" }], errorCount: 1, updatedAt: at, finishedAt: at });
  }
}

async function claimedJob(job: Job, list: XlsxList, clock: Clock, importWorkbook: ImportWorkbook | Promise<ImportWorkbook>, early: { key: string; read: Read }): Promise<void> {
  const { sourceKey } = job.input as { sourceKey: string };
  const finish: Finish = async (status, errors, total, result, extraOps = []) => {
    const at = clock.now().toISOString();
    let errorReportKey: string | undefined;
    if (errors.length) {
      errorReportKey = `imports/${job.id}.errors.csv`;
      await putText(errorReportKey, errorReportCsv(errors.map((e) => ({ line: e.line, reason: e.reason }))), "text/csv; charset=utf-8");
    }
    await finishJob(job.id, { status, total, done: total, errors: errors.slice(0, MAX_JOB_ERRORS), errorCount: errors.length, errorReportKey, result, updatedAt: at, finishedAt: at }, extraOps);
  };
  // the creator and the workbook are read at once (the workbook since the claim); the creator decides first
  const read = sourceKey === early.key ? early.read : readWorkbook(sourceKey);
  const principal = await actingPrincipal(job, list);
  if (!principal) return finish("failed", [{ line: 0, code: "refused", params: { message: "account inactive" }, reason: "the account that started this import is no longer active" }], 0, null);

  const got = await read;
  if ("error" in got) {
    if (got.error.name === "NoSuchKey") return finish("failed", [{ line: 0, reason: "the file of this import is missing; upload it again" }], 0, null);
    throw got.error;
  }
  return (await importWorkbook)(job, list, got.bytes, principal, finish);
}
