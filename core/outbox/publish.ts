import { sqsSend } from "../sqs.ts";
import { logger } from "../log.ts";
import { SHARDS } from "./shards.ts";
import { outboxRowsBefore } from "./repo.ts";
import { staffVersionStamp } from "../config/staff-version.ts";
import { republishedAttribute } from "../aggregate/seen.ts";

export interface Publishable {
  id: string;
  at: string;
}

const queueUrl = () => {
  const url = process.env.WANGGE_QUEUE_EVENTS_URL;
  if (!url) throw new Error("WANGGE_QUEUE_EVENTS_URL is not set");
  return url;
};

/**
 * Send committed domain events to the `events` queue. Never throws: if the send fails the rows
 * stay and the outbox sweeper sends them later (consumers are idempotent by event id, so a double
 * send is harmless). The outbox rows are deleted by the events consumer when it receives the
 * events (functions/events/consume.ts), not here: from then on SQS holds each event until it is
 * processed or dead-lettered, which is what the row guaranteed until then (#16: one DynamoDB
 * request less per case write, and one BatchWriteItem per received batch instead of per request).
 */
export async function publishEvents(events: Publishable[], opts: { stamp?: boolean; republished?: boolean } = {}): Promise<number> {
  let sent = 0;
  // the staff version this container proved within 5 s (read with its case and configuration):
  // the events consumer may answer recipients from role rows it read at that version or later.
  // Not on events republished by the sweep (they were decided long before): their rows are read fresh
  const staff = opts.stamp === false ? undefined : staffVersionStamp();
  const stamp: Record<string, { DataType: string; StringValue: string }> = staff ? { staffVersion: { DataType: "Number", StringValue: String(staff.n) }, staffAt: { DataType: "String", StringValue: staff.at } } : {};
  // a copy the sweep sends again may be an event already counted: the consumer checks the mark of before #16 too (core/aggregate/seen.ts)
  if (opts.republished) Object.assign(stamp, republishedAttribute("sweep"));
  for (let i = 0; i < events.length; i += 10) {
    const batch = events.slice(i, i + 10);
    try {
      const out = await sqsSend("SendMessageBatch", {
        QueueUrl: queueUrl(),
        Entries: batch.map((e, j) => ({ Id: String(j), MessageBody: JSON.stringify(e), MessageAttributes: { eventId: { DataType: "String", StringValue: e.id }, ...stamp } })),
      });
      sent += (out.Successful ?? []).length;
    } catch (err) {
      logger.warn("outbox publish deferred to sweeper", { error: (err as Error).message, events: batch.length });
    }
  }
  return sent;
}

/**
 * While the events queue still has messages waiting, a row this old may simply be queued (its
 * row is deleted when a consumer receives it): only rows older than this are re-sent then, so a
 * backlog is not sent again every minute.
 */
export const QUEUED_GRACE_MS = 15 * 60_000;

/** Messages waiting in the events queue (undefined: unknown). */
async function waitingEvents(): Promise<number | undefined> {
  try {
    const out = await sqsSend("GetQueueAttributes", { QueueUrl: queueUrl(), AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed"] });
    return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesDelayed ?? 0);
  } catch {
    return undefined;
  }
}

/**
 * Republish outbox rows older than `graceMs` (the request that wrote them died or failed to
 * publish). Rows are deleted by the events consumer on receipt, so a row older than the grace is a
 * straggler when the queue is empty; while messages wait in the queue, only rows older than
 * `QUEUED_GRACE_MS` are (an unknown depth counts as empty: at worst an event is sent twice).
 */
export async function sweepOutbox(now: Date, graceMs = 10_000): Promise<{ republished: number; found: number }> {
  const grace = ((await waitingEvents()) ?? 0) > 0 ? Math.max(graceMs, QUEUED_GRACE_MS) : graceMs;
  const cut = new Date(now.getTime() - grace).toISOString();
  let found = 0;
  let republished = 0;
  for (let shard = 0; shard < SHARDS; shard++) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await outboxRowsBefore(shard, cut, start);
      found += page.events.length;
      republished += await publishEvents(page.events, { stamp: false, republished: true });
      start = page.next;
    } while (start);
  }
  return { republished, found };
}
