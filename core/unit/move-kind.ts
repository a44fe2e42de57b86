/**
 * The unit-move job's kind on the jobs queue, apart from its runner (core/unit/move-job.ts), so that
 * a move request (core/unit/move-start.ts) does not load the runner to name it.
 */
export const UNIT_MOVE = "unit-move";
