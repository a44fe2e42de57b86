/**
 * Every SQS queue and its consumer, declared once: `stacks/Queues.ts` creates queue + DLQ +
 * event-source mapping from this list; `local/poller.ts` polls the same queues on the embedded stack.
 */
export interface QueueDef {
  /** short name, also the env var suffix: WANGGE_QUEUE_<NAME>_URL */
  name: string;
  /** consumer handler, `functions/<area>/<file>.<export>` */
  consumer: string;
  batchSize: number;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  /** consumer Lambda timeout; must be ≤ visibility timeout */
  timeoutSeconds: number;
}

export const queues: QueueDef[] = [
  // a bulk of events (a minute of many due timers, an import) merges its counters over up to 100 events a batch
  // (#16: fewer items written per event); Lambda waits up to its 1 s batching window to fill a batch above 10
  { name: "events", consumer: "functions/events/consume.handler", batchSize: 100, visibilityTimeoutSeconds: 60, maxReceiveCount: 5, timeoutSeconds: 30 },
  // 25 due timers a batch: their decisions (about 4 items each) fill one 100-item transaction
  { name: "timeouts", consumer: "functions/timers/consume.handler", batchSize: 25, visibilityTimeoutSeconds: 60, maxReceiveCount: 5, timeoutSeconds: 30 },
  { name: "webhooks", consumer: "functions/webhooks/deliver.handler", batchSize: 5, visibilityTimeoutSeconds: 60, maxReceiveCount: 8, timeoutSeconds: 30 },
  { name: "jobs", consumer: "functions/jobs/consume.handler", batchSize: 1, visibilityTimeoutSeconds: 900, maxReceiveCount: 3, timeoutSeconds: 600 },
  { name: "appraisal", consumer: "functions/appraisals/consume.handler", batchSize: 1, visibilityTimeoutSeconds: 300, maxReceiveCount: 3, timeoutSeconds: 120 },
  { name: "exports", consumer: "functions/exports/consume.handler", batchSize: 1, visibilityTimeoutSeconds: 360, maxReceiveCount: 3, timeoutSeconds: 300 },
];

export const queueEnvName = (name: string): string => `WANGGE_QUEUE_${name.toUpperCase()}_URL`;
export const dlqEnvName = (name: string): string => `WANGGE_DLQ_${name.toUpperCase()}_URL`;

export function queueUrl(name: string): string {
  const url = process.env[queueEnvName(name)];
  if (!url) throw new Error(`${queueEnvName(name)} is not set`);
  return url;
}
