import { clock } from "../../core/clock.ts";
import { sweepOutbox } from "../../core/outbox/publish.ts";

export const handler = async () => sweepOutbox(clock.now());
