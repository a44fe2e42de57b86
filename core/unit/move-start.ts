import { ulid } from "ulid";
import { actorOf } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { enqueueJob } from "../job/enqueue.ts";
import { getJob, insertJob } from "../job/repo.ts";
import { queuedJob } from "../job/schema.ts";
import { UNIT_MOVE } from "./move-kind.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { MOVE_VISIBLE_AFTER_MS, registerMove } from "./move-registry.ts";
import type { Unit } from "./schema.ts";

/**
 * Before a subtree's units move: register the move (old → new path) and create its re-path job.
 * A repeated request (after a crash) finds the same move and job; `enqueue` (after the units
 * moved) queues the job again, which is harmless. Returns only once every warm container's copy of
 * the moves includes this one: containers re-read the moves at most `MOVES_RECHECK_MS` after their
 * last read, so after waiting that long (plus clock skew) since the move was stored, no container
 * still reads with a copy from before it — and the units only move after that.
 */
export async function startMove(p: Principal, root: Unit, newPath: string, now: Date): Promise<{ jobId: string; enqueue: () => Promise<void> }> {
  const jobId = ulid(now.getTime());
  const move = await registerMove({ rootId: root.id, oldPath: root.path, newPath, jobId, startedAt: now.toISOString() }, now);
  if (move.jobId === jobId) {
    const at = now.toISOString();
    const job = queuedJob({ id: jobId, kind: UNIT_MOVE, input: { rootId: root.id, oldPath: move.oldPath, newPath: move.newPath }, createdBy: actorOf(p), scopes: [], at });
    await insertJob(job);
  } else if (!(await getJob(move.jobId, true))) {
    throw new Error(`move job ${move.jobId} missing`);
  }
  await sleep(MOVE_VISIBLE_AFTER_MS); // real time: containers' copies age in real time whatever the test clock says
  return { jobId: move.jobId, enqueue: () => enqueueJob({ kind: UNIT_MOVE, jobId: move.jobId }) };
}
