import type { SQSRecord } from "aws-lambda";
import { applyEvents, marksByOutboxRow } from "../../core/aggregate/apply.ts";
import { maySeenBefore } from "../../core/aggregate/seen.ts";
import { notificationItems, staffLookup, staffProofOf } from "../../core/notify/inbox.ts";
import { deliverToWebhooks } from "../../core/webhook/enqueue.ts";
import { activeWebhooks } from "../../core/webhook/cache.ts";
import { partnerUpdateItem } from "../../core/open311/repo.ts";
import type { DomainEvent } from "../../core/case/repo.ts";
import { outboxRowKey, type OutboxEvent } from "../../core/outbox/repo.ts";
import { batchWritePlain, type PlainWrite } from "../../core/db/repo-batch.ts";
import { recordConsumerError } from "../../core/ops/queues.ts";
import { clock } from "../../core/clock.ts";
import { logger } from "../../core/log.ts";
import { sqsBatchConsumer } from "../sqs.ts";

/**
 * Domain events from the outbox, a queue batch at a time (#16: a batch's work in a few requests,
 * not a few per event). Each step is idempotent by event id, so a redelivered or duplicated event
 * changes nothing:
 * 1. the counters: one transaction for the batch — a processed mark per event and the increments
 *    added up per aggregate item (core/aggregate/apply.ts); a mark already there drops its event;
 * 2. the plain writes of the batch in as few BatchWriteItem requests as they fit (25 each): the
 *    in-app notifications (same key per user and event), the Open311 updates feed entries (same key
 *    per event), and the deletes of the events' outbox rows (SQS holds each event until it is
 *    processed or dead-lettered, as the row did until now; a row left behind is re-sent by the
 *    outbox sweeper, harmlessly). Recipients are looked up once per unit for the batch, from role
 *    rows this container keeps while the staff version stamped on the messages proves them current
 *    (core/notify/inbox.ts staffLookup); these reads run while the counters' transaction does;
 * 3. webhook deliveries per event (a record per subscription and event, created once).
 * A failure of 1 or 2 fails the batch (it comes back whole); a failure of 3 fails that event only.
 */
export const handler = sqsBatchConsumer<Partial<DomainEvent>>("events", async (items) => {
  const failed = new Set<SQSRecord>();
  const events: Array<{ e: DomainEvent; record: SQSRecord }> = [];
  const outboxRows: OutboxEvent[] = [];
  for (const { body: e, record } of items) {
    if (typeof e?.id === "string" && typeof e.at === "string") outboxRows.push({ id: e.id, at: e.at });
    if (!e?.id || !e.caseId || !e.type) {
      logger.error("record failed", { consumer: "events", messageId: record.messageId, error: "not a domain event" });
      await recordConsumerError("events", record.messageId, record.attributes?.ApproximateReceiveCount, "not a domain event", clock.now());
      failed.add(record);
    } else events.push({ e: e as DomainEvent, record });
  }
  const unique = [...new Map(events.map((x) => [x.e.id, x.e])).values()];
  // a redelivery or a copy sent again may be an event the consumer before #16 counted (core/aggregate/seen.ts)
  const seen = new Set(events.filter((x) => maySeenBefore(x.record)).map((x) => x.e.id));
  // role rows: kept by this container at the staff version the producers stamped (none: read fresh)
  const staff = staffLookup(staffProofOf(events.map((x) => x.record.messageAttributes)));
  // the counters, the recipients' reads and the webhook subscriptions' list are independent: at
  // once (a cold container's first batch waited for each in turn); only the plain writes wait
  const webhooks = activeWebhooks().catch(() => undefined); // a failed read is read again by deliverToWebhooks
  const [counted, notifications] = await Promise.all([applyEvents(unique, seen), Promise.all(unique.map((e) => notificationItems(e, staff))).then((n) => n.flat())]);
  await webhooks;
  const writes: PlainWrite[] = [
    ...notifications.map((put) => ({ put })),
    ...unique.flatMap((e) => {
      const put = partnerUpdateItem(e);
      return put ? [{ put }] : [];
    }),
    // an event counted (or found counted) by the delete of its outbox row has no row left (#16);
    // the rows of events that count nowhere, of events before the cutover, of bad messages and of
    // events seen before found counted (their DONE mark cancelled the row's delete; a row already gone: a no-op) go here
    ...outboxRows.filter((e) => !(marksByOutboxRow(e) && (counted.get(e.id) === "applied" || (counted.get(e.id) === "duplicate" && !seen.has(e.id))))).map((e) => ({ delete: outboxRowKey(e) })),
  ];
  await batchWritePlain(writes);
  for (const { e, record } of events) {
    try {
      await deliverToWebhooks(e);
    } catch (err) {
      logger.error("record failed", { consumer: "events", messageId: record.messageId, error: (err as Error).message });
      await recordConsumerError("events", record.messageId, record.attributes?.ApproximateReceiveCount, (err as Error).message, clock.now());
      failed.add(record);
    }
  }
  return failed;
});
