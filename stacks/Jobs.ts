import { Cron, use, type CronProps, type StackContext } from "sst/constructs";
import { schedules } from "../functions/schedules.ts";
import { withAccess } from "./access.ts";
import { Queues } from "./Queues.ts";
import { Storage } from "./Storage.ts";

/** One EventBridge rule + Lambda per entry of functions/schedules.ts (expressions are UTC, used as is). */
export function Jobs({ stack }: StackContext) {
  const storage = use(Storage);
  const queues = use(Queues);

  const crons = withAccess(stack, { ...storage, queues }, () => {
    const out: Record<string, Cron> = {};
    for (const s of schedules) {
      out[s.name] = new Cron(stack, s.name, {
        schedule: s.schedule as CronProps["schedule"],
        job: { function: { handler: s.handler, timeout: s.timeoutSeconds, description: s.description } },
        cdk: { rule: { description: s.description } },
      });
    }
    return out;
  });

  return { crons };
}
