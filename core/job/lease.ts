/**
 * A job run's lease (docs/async.md "Job leases"): the claim of a job (core/job/repo.ts updateJob with
 * `addAttempt`) records an owner token and an expiry on the job item, and is refused while another
 * run's lease is live; the run's later writes of the job (progress, fields, its finish) are
 * conditional on still holding it, so a run that lost its lease stops at its next write and never
 * finishes the job. The token lives in the run's scope (core/job/run.ts jobRun), which every runner
 * opens around its body, so the runners pass no token around.
 *
 * No table access here (core/job/repo.ts is the door).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Clock } from "../clock.ts";

/**
 * How long a claim holds the job: 14 minutes from the start of the delivery. It outlives the jobs
 * consumer's Lambda timeout (600 s: a live run never loses its lease) and ends before the jobs
 * queue's visibility timeout (900 s), so the message of a run that died (timeout, crash) claims the
 * job again at its first redelivery. core/job/lease.test.ts checks both against
 * functions/queues.ts. Not renewed on progress: a renewal would only push the takeover after a death
 * past that redelivery (the run cannot outlive its Lambda timeout anyway).
 */
export const JOB_LEASE_MS = 14 * 60_000;

/** One delivery's run of a job: its clock, its owner token, when it started, and the job whose lease it holds. */
export interface JobRun {
  readonly clock: Clock;
  readonly token: string;
  readonly startedAt: number;
  /** the job this run holds the lease of (set by the claim, cleared by the finish or a hand-off) */
  held?: string;
}

export const jobRuns = new AsyncLocalStorage<JobRun>();

/** The run this code is part of (undefined outside core/job/run.ts jobRun). */
export const currentRun = (): JobRun | undefined => jobRuns.getStore();

/**
 * A claim refused because another run holds a live lease on the job. Thrown, not swallowed: the
 * delivery fails and SQS delivers the message again after the visibility timeout, when the job has
 * finished (a no-op then) or the holder died (its lease expired: this delivery runs it).
 */
export class JobLeaseHeldError extends Error {
  readonly jobId: string;
  readonly leaseUntil: string;
  constructor(jobId: string, leaseUntil: number) {
    super(`job ${jobId} is being run by another delivery (lease until ${new Date(leaseUntil).toISOString()}); this message comes back later`);
    this.name = "JobLeaseHeld";
    this.jobId = jobId;
    this.leaseUntil = new Date(leaseUntil).toISOString();
  }
}

/** A write of a run whose lease expired and was taken by another run: this run stops (its delivery fails). */
export class JobLeaseLostError extends Error {
  readonly jobId: string;
  constructor(jobId: string) {
    super(`job ${jobId}: this run's lease expired and another run claimed the job; this run stops`);
    this.name = "JobLeaseLost";
    this.jobId = jobId;
  }
}
