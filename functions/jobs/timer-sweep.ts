import { clock } from "../../core/clock.ts";
import { sweepTimers } from "../../core/timer/sweep.ts";

export const handler = async () => sweepTimers(clock.now());
