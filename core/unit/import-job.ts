/**
 * What both stages of a unit import job share (core/unit/import-read.ts, core/unit/import-apply.ts):
 * the job's errors and error report, a failed finish, the stage marker's values and the stage file
 * between the two stages. Light on purpose: each stage is its own lazy module of the jobs consumer.
 */
import type { Clock } from "../clock.ts";
import type { InvalidError } from "../errors.ts";
import { logger } from "../log.ts";
import { errorReportCsv } from "../job/csv.ts";
import { putText } from "../job/files.ts";
import { finishJob } from "../job/repo.ts";
import { MAX_JOB_ATTEMPTS, MAX_JOB_ERRORS, type Job, type JobError } from "../job/schema.ts";

/**
 * The stage marker of a unit import job (JobStage.stage): none or "read" while stage 1 runs,
 * "apply-queued" once its stage file is written (stage 2's message is then sent, again by a
 * redelivered stage-1 message), "apply" once stage 2 claimed the job.
 */
export const STAGE_READ = "read";
export const STAGE_APPLY_QUEUED = "apply-queued";
export const STAGE_APPLY = "apply";

/** The normalised file stage 1 writes and stage 2 reads: a WGS84 GeoJSON FeatureCollection of the checked rows. */
export const stageFileKey = (jobId: string) => `imports/${jobId}.read.geojson`;

/** A file that could not be read, as the job's one error: where (line, column) and a code the console translates. */
export function fileError(e: InvalidError): JobError {
  const d = (e.details ?? {}) as { line?: number; column?: number; problem?: string; syntax?: string; missing?: string[]; found?: string; projection?: string };
  const params: Record<string, string> = {};
  if (d.projection) params.projection = d.projection;
  if (d.syntax) params.syntax = d.syntax;
  if (d.missing) params.missing = d.missing.join(", ");
  if (d.found) params.found = d.found;
  return { line: d.line ?? 0, ...(d.column ? { column: d.column } : {}), ...(d.problem ? { code: d.problem, params } : {}), reason: e.message };
}

const MAX_REASON = 500;

export function firstErrors(errors: JobError[]) {
  return { errors: errors.slice(0, MAX_JOB_ERRORS).map((e) => (e.reason.length > MAX_REASON ? { ...e, reason: `${e.reason.slice(0, MAX_REASON)}…` } : e)), errorCount: errors.length };
}

export async function storeReport(jobId: string, errors: JobError[]): Promise<string | undefined> {
  if (!errors.length) return undefined;
  const key = `imports/${jobId}.errors.csv`;
  await putText(key, errorReportCsv(errors), "text/csv; charset=utf-8");
  return key;
}

/** Finish the job as failed with these errors (and their report), with other writes (its audit row). */
export async function failImport(jobId: string, clock: Clock, errors: JobError[], total: number, result: Job["result"] = null, extraOps: any[] = []): Promise<void> {
  const at = clock.now().toISOString();
  await finishJob(jobId, { status: "failed", total, done: total, ...firstErrors(errors), errorReportKey: await storeReport(jobId, errors), result, updatedAt: at, finishedAt: at }, extraOps);
}

/**
 * An unexpected error of a stage: rethrown (the message comes back) until its message's last
 * attempt, which marks the job failed. `attempts` counts the deliveries of the stage's message.
 */
export async function onStageError(jobId: string, attempts: number, clock: Clock, e: unknown): Promise<void> {
  if (attempts + 1 < MAX_JOB_ATTEMPTS) throw e;
  logger.error("import job failed", { jobId, error: (e as Error).message });
  const at = clock.now().toISOString();
  await finishJob(jobId, {
    status: "failed",
    ...firstErrors([{ line: 0, reason: "the import stopped on an internal error; run it again (rows already written are kept and skipped)" }]),
    updatedAt: at,
    finishedAt: at,
  });
}
