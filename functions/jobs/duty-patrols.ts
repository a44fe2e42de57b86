import { clock } from "../../core/clock.ts";
import { runPatrolDuty } from "../../core/duty/patrols.ts";

/** Daily: flag workers who finished fewer patrols than required on the past county day(s). */
export const handler = async () => runPatrolDuty(clock.now());
