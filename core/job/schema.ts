import * as z from "zod";
import { Cursor } from "../db/ids.ts";

/**
 * A background job (bulk import, later other kinds): created by an HTTP request, run by the
 * `jobs` queue consumer (functions/jobs/consume.ts dispatches on `kind`), polled by its creator.
 */
export const JobStatus = z.enum(["queued", "validating", "importing", "running", "succeeded", "failed"]);
export type JobStatus = z.infer<typeof JobStatus>;

export const TERMINAL: readonly JobStatus[] = ["succeeded", "failed"];

/** One rejected row of an input file: its line (CSV) or feature number (GeoJSON), and why. */
export const JobError = z.object({
  line: z.number().int(),
  /** 1-based column, when the file itself could not be read (a JSON or CSV syntax error) */
  column: z.number().int().optional(),
  /** a problem code the console translates (core/unit/file-errors.ts FileProblem), with its parameters */
  code: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  reason: z.string(),
});
export type JobError = z.infer<typeof JobError>;

/** Errors kept on the job item; the complete list is in the error report (errorReportKey). */
export const MAX_JOB_ERRORS = 100;

/** Deliveries of one job message before the job is marked failed (the queue's maxReceiveCount). */
export const MAX_JOB_ATTEMPTS = 3;

export const JobActor = z.object({ kind: z.string(), id: z.string(), name: z.string().optional() });
export type JobActor = z.infer<typeof JobActor>;

export const Job = z.object({
  id: z.string(),
  kind: z.string(),
  status: JobStatus,
  /** rows (or items) to process; 0 until known */
  total: z.number().int(),
  /** rows processed so far (written, unchanged or rejected) */
  done: z.number().int(),
  errors: z.array(JobError),
  errorCount: z.number().int(),
  /** S3 key of the full error report (CSV), when there are errors */
  errorReportKey: z.string().optional(),
  /** kind-specific parameters (for unit-import: format, mode, sourceKey) */
  input: z.record(z.string(), z.unknown()),
  result: z.record(z.string(), z.unknown()).nullable(),
  createdBy: JobActor,
  /** unit paths in which the creator held the job's permission when creating it */
  scopes: z.array(z.string()),
  attempts: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});
export type Job = z.infer<typeof Job>;

/** What the API shows of a job (the creator's scopes stay internal). */
export type JobView = Omit<Job, "scopes">;

export function jobView(j: Job): JobView {
  const { scopes: _scopes, ...rest } = j;
  return rest;
}

export const JobQuery = z.object({
  kind: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
});

export const IdempotencyKey = z.string().min(1).max(128).regex(/^[\w.:-]+$/, "letters, digits and _ . : - only");
