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
  {
    // 00:05 on the 1st in the county (Asia/Shanghai, UTC+8) = 16:05 UTC on the last day of the month before
    name: "appraisal-monthly",
    handler: "functions/jobs/appraisal-monthly.handler",
    schedule: "cron(5 16 L * ? *)",
    timeoutSeconds: 120,
    description: "Appraise the month that just ended: fan out batches of units, departments and workers to the appraisal queue",
  },
  {
    // 06:00 in the county (UTC+8) = 22:00 UTC the day before
    name: "duty-visits",
    handler: "functions/jobs/duty-visits.handler",
    schedule: "cron(0 22 * * ? *)",
    timeoutSeconds: 300,
    description: "Overdue household visits per grid worker: notify the workers and their grid leaders",
  },
  {
    // 00:30 in the county (UTC+8) = 16:30 UTC: the county day just ended
    name: "duty-patrols",
    handler: "functions/jobs/duty-patrols.handler",
    schedule: "cron(30 16 * * ? *)",
    timeoutSeconds: 300,
    description: "Flag grid workers with fewer finished patrols than required on the past day",
  },
  {
    // 03:00 in the county (UTC+8) = 19:00 UTC the day before
    name: "retention",
    handler: "functions/jobs/retention.handler",
    schedule: "cron(0 19 * * ? *)",
    timeoutSeconds: 300,
    description: "PIPL retention (privacy.*): unused resident accounts, attachments of cases closed long ago, people moved away, old audit months; all audited",
  },
  {
    // 03:30 in the county (UTC+8) = 19:30 UTC the day before
    name: "registry-recount",
    handler: "functions/jobs/registry-recount.handler",
    schedule: "cron(30 19 * * ? *)",
    timeoutSeconds: 600,
    description: "Recount households, people and places per unit subtree from the registry lists and correct the tallies the unit tree shows",
  },
];
