import type { Principal } from "../auth/principal.ts";
import type { Clock } from "../clock.ts";
import { addJobProgress } from "../job/repo.ts";
import type { ApplyContext } from "./apply-each.ts";

/**
 * The context an import job's writes run in: as `principal`, at the clock's time, reporting progress
 * in steps of about 2 % of `total` rows (at least 5), not one job write per row.
 */
export function importContext(jobId: string, principal: Principal, clock: Clock, total: number): ApplyContext {
  let pending = 0;
  return {
    principal,
    jobId,
    now: () => clock.now(),
    progress: async (n: number) => {
      pending += n;
      if (pending >= Math.max(5, Math.ceil(total / 50))) {
        const add = pending;
        pending = 0;
        await addJobProgress(jobId, add, clock.now().toISOString());
      }
    },
  };
}
