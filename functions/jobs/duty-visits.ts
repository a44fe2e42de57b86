import { clock } from "../../core/clock.ts";
import { runVisitDuty } from "../../core/duty/visits.ts";

/** Daily: overdue household visits per worker → notices to the workers and their grid leaders. */
export const handler = async () => runVisitDuty(clock.now());
