import * as z from "zod/mini";
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
  line: z.number().check(z.int()),
  /** 1-based column, when the file itself could not be read (a JSON or CSV syntax error) */
  column: z.optional(z.number().check(z.int())),
  /** a problem code the console translates (core/unit/file-errors.ts FileProblem), with its parameters */
  code: z.optional(z.string()),
  params: z.optional(z.record(z.string(), z.union([z.string(), z.number()]))),
  reason: z.string(),
});
export type JobError = z.infer<typeof JobError>;

/** Errors kept on the job item; the complete list is in the error report (errorReportKey). */
export const MAX_JOB_ERRORS = 100;

/** Deliveries of one job message before the job is marked failed (the queue's maxReceiveCount). */
export const MAX_JOB_ATTEMPTS = 3;

export const JobActor = z.object({ kind: z.string(), id: z.string(), name: z.optional(z.string()) });
export type JobActor = z.infer<typeof JobActor>;

export const Job = z.object({
  id: z.string(),
  kind: z.string(),
  status: JobStatus,
  /** rows (or items) to process; 0 until known */
  total: z.number().check(z.int()),
  /** rows processed so far (written, unchanged or rejected) */
  done: z.number().check(z.int()),
  errors: z.array(JobError),
  errorCount: z.number().check(z.int()),
  /** S3 key of the full error report (CSV), when there are errors */
  errorReportKey: z.optional(z.string()),
  /** kind-specific parameters (for unit-import: format, mode, sourceKey) */
  input: z.record(z.string(), z.unknown()),
  result: z.nullable(z.record(z.string(), z.unknown())),
  createdBy: JobActor,
  /** unit paths in which the creator held the job's permission when creating it */
  scopes: z.array(z.string()),
  attempts: z.number().check(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.optional(z.string()),
  finishedAt: z.optional(z.string()),
});
export type Job = z.infer<typeof Job>;

/** A new job as its request leaves it: queued, nothing done, no attempt yet, created and updated at `at`. */
export function queuedJob(f: { id: string; kind: string; input: Job["input"]; createdBy: Job["createdBy"]; scopes: string[]; at: string; total?: number }): Job {
  return { id: f.id, kind: f.kind, status: "queued", total: f.total ?? 0, done: 0, errors: [], errorCount: 0, input: f.input, result: null, createdBy: f.createdBy, scopes: f.scopes, attempts: 0, createdAt: f.at, updatedAt: f.at };
}

/**
 * A job run in stages, one queue message each (the unit import: "read", then "apply"), keeps its
 * stage marker on the job item beside the Job fields: `stage` and `stageVersion` (+1 at each change
 * of stage, each change conditional on the version read). Internal, like `scopes`.
 */
export type JobStage = {
  stage?: string;
  stageVersion?: number;
};

/** What the API shows of a job (the creator's scopes, the stage marker and a run's lease, core/job/lease.ts, stay internal). */
export type JobView = Omit<Job, "scopes">;

export function jobView(j: Job): JobView {
  const { scopes: _scopes, stage: _stage, stageVersion: _sv, leaseOwner: _lo, leaseUntil: _lu, ...rest } = j as Job & JobStage & { leaseOwner?: string; leaseUntil?: number };
  return rest;
}

export const JobQuery = z.object({
  kind: z.optional(z.string().check(z.maxLength(40))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

export const IdempotencyKey = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[\w.:-]+$/, "letters, digits and _ . : - only"));
