import { ulid } from "ulid";
import { actorOf } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { enqueueJob } from "../job/enqueue.ts";
import { getJob, insertJob } from "../job/repo.ts";
import type { Job } from "../job/schema.ts";
import { UNIT_MOVE } from "./move-job.ts";
import { registerMove } from "./move-registry.ts";
import type { Unit } from "./schema.ts";

/**
 * Before a subtree's units move: register the move (old → new path) and create its re-path job.
 * A repeated request (after a crash) finds the same move and job; `enqueue` (after the units
 * moved) queues the job again, which is harmless.
 */
export async function startMove(p: Principal, root: Unit, newPath: string, now: Date): Promise<{ jobId: string; enqueue: () => Promise<void> }> {
  const jobId = ulid(now.getTime());
  const move = await registerMove({ rootId: root.id, oldPath: root.path, newPath, jobId, startedAt: now.toISOString() }, now);
  if (move.jobId === jobId) {
    const at = now.toISOString();
    const job: Job = { id: jobId, kind: UNIT_MOVE, status: "queued", total: 0, done: 0, errors: [], errorCount: 0, input: { rootId: root.id, oldPath: move.oldPath, newPath: move.newPath }, result: null, createdBy: actorOf(p), scopes: [], attempts: 0, createdAt: at, updatedAt: at };
    await insertJob(job);
  } else if (!(await getJob(move.jobId, true))) {
    throw new Error(`move job ${move.jobId} missing`);
  }
  return { jobId: move.jobId, enqueue: () => enqueueJob({ kind: UNIT_MOVE, jobId: move.jobId }) };
}
