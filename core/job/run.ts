/**
 * The scope of one delivery's run of a job (core/job/lease.ts): every runner runs its body inside
 * `jobRun`, so its claim, progress and finish (core/job/repo.ts) know the run's lease token without
 * passing it around. When the run ends without finishing the job (cut short, or an error that
 * brings its message back), its lease ends with it, so the next delivery need not wait for the
 * expiry; only a run that died (a Lambda timeout, a crash) leaves its lease to expire.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.ts";
import { logger } from "../log.ts";
import { jobRuns, type JobRun } from "./lease.ts";
import { releaseJobLease } from "./repo.ts";

export async function jobRun<T>(clock: Clock, body: () => Promise<T>): Promise<T> {
  const run: JobRun = { clock, token: randomUUID(), startedAt: clock.now().getTime() };
  try {
    return await jobRuns.run(run, body);
  } finally {
    if (run.held) {
      // left to expire when this fails (the run's own error, if any, is the one reported)
      await releaseJobLease(run.held, run.token).catch((e) => logger.warn("job lease not released", { jobId: run.held, error: (e as Error).message }));
    }
  }
}
