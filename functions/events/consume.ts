import type { SQSRecord } from "aws-lambda";
import { applyEvents, countsNowhere, marksByOutboxRow } from "../../core/aggregate/apply.ts";
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
 *    per event), and the deletes of the outbox rows the transaction does not delete (SQS holds each
 *    event until it is processed or dead-lettered, as the row did until now; a row left behind is
 *    re-sent by the outbox sweeper, harmlessly). When no row's delete waits for the transaction
 *    (events after the cutover, none seen before: the usual batch) they are sent while it runs,
 *    else after it. Recipients are looked up once per unit for the batch, from role rows this
 *    container keeps while the staff version stamped on the messages proves them current
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
  // once (a cold container's first batch waited for each in turn)
  const webhooks = activeWebhooks().catch(() => undefined); // a failed read is read again by deliverToWebhooks
  const counting = applyEvents(unique, seen);
  const puts: Promise<PlainWrite[]> = Promise.all(unique.map((e) => notificationItems(e, staff))).then((n) => [
    ...n.flat().map((put) => ({ put })),
    ...unique.flatMap((e) => {
      const put = partnerUpdateItem(e);
      return put ? [{ put }] : [];
    }),
  ]);
  // an event counted (or found counted) by the delete of its outbox row has no row left (#16); the
  // rows of events that count nowhere, of events before the cutover, of bad messages and of events
  // seen before found counted (their DONE mark cancelled the row's delete; a row already gone: a no-op) are deleted here
  const byEventId = new Map(unique.map((e) => [e.id, e]));
  const deleted = (r: OutboxEvent, counted?: Map<string, string>) => {
    const e = byEventId.get(r.id);
    if (!e || countsNowhere(e)) return true; // a bad message, or an event with no part in the counters' transaction
    if (!marksByOutboxRow(r)) return true; // before the cutover: after its DONE mark is in (the transaction)
    if (!seen.has(r.id)) return false; // its row's delete is in the transaction (applied), or was (duplicate)
    return counted?.get(r.id) !== "applied"; // seen before and found counted: its DONE mark cancelled the row's delete
  };
  // rows whose delete waits for the transaction: of events before the cutover and of events seen before
  const waiting = outboxRows.some((r) => byEventId.has(r.id) && !countsNowhere(byEventId.get(r.id)!) && (!marksByOutboxRow(r) || seen.has(r.id)));
  if (!waiting) {
    // every counted event's row goes in the transaction: the plain writes do not depend on it and are
    // sent while it runs (#15: a cold container's first batch waited for the transaction, then for them)
    const [counted, written] = await Promise.allSettled([counting, puts.then((w) => batchWritePlain([...w, ...outboxRows.filter((r) => deleted(r)).map((r) => ({ delete: outboxRowKey(r) }))]))]);
    // both settled: nothing of the batch is still in flight when it fails (and comes back whole)
    if (counted.status === "rejected") throw counted.reason;
    if (written.status === "rejected") throw written.reason;
    await webhooks;
  } else {
    const [counted, writes] = await Promise.all([counting, puts]);
    await webhooks;
    await batchWritePlain([...writes, ...outboxRows.filter((r) => deleted(r, counted)).map((r) => ({ delete: outboxRowKey(r) }))]);
  }
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
