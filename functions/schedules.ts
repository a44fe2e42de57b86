/**
 * Scheduled functions, declared once: `stacks/Jobs.ts` creates an EventBridge rule per entry,
 * `local/scheduler.ts` runs the same handlers on the same expressions against the local clock.
 * Expressions are EventBridge syntax and always UTC: county-time schedules are converted here
 * (Asia/Shanghai is UTC+8 with no DST, so 00:05 on the 1st in the county is 16:05 UTC on the last
 * day of the previous month: `cron(5 16 L * ? *)`).
 */
export interface ScheduleDef {
  name: string;
  handler: string;
  schedule: string;
  timeoutSeconds: number;
  description: string;
}

export const schedules: ScheduleDef[] = [
  {
    name: "timer-sweep",
    handler: "functions/jobs/timer-sweep.handler",
    schedule: "rate(1 minute)",
    timeoutSeconds: 60,
    description: "Send due case deadlines to the timeouts queue",
  },
  {
    name: "outbox-sweep",
    handler: "functions/jobs/outbox-sweep.handler",
    schedule: "rate(1 minute)",
    timeoutSeconds: 60,
    description: "Re-publish domain events left unpublished after a commit",
  },
];
