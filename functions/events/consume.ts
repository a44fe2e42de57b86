import type { Context, SQSEvent } from "aws-lambda";
import { applyEvent } from "../../core/aggregate/apply.ts";
import { notify } from "../../core/notify/inbox.ts";
import { deliverToWebhooks } from "../../core/webhook/enqueue.ts";
import { recordPartnerUpdate } from "../../core/open311/repo.ts";
import type { DomainEvent } from "../../core/case/repo.ts";
import { deleteOutboxRows, type OutboxEvent } from "../../core/outbox/repo.ts";
import { logger } from "../../core/log.ts";
import { sqsConsumer } from "../sqs.ts";

/**
 * Domain events from the outbox. Each consumer step is idempotent by event id (aggregates by a
 * processed mark in the same transaction; notifications by their key; webhook deliveries by
 * delivery id; Open311 updates by event id), so a redelivered or duplicated event changes nothing.
 */
const consume = sqsConsumer("events", async (body) => {
  const e = body as DomainEvent;
  if (!e?.id || !e.caseId || !e.type) throw new Error("not a domain event");
  await applyEvent(e);
  await notify(e);
  await deliverToWebhooks(e);
  await recordPartnerUpdate(e);
});

/** The events of a batch whose outbox rows can be named (id and time). */
function outboxEventsOf(event: SQSEvent): OutboxEvent[] {
  return event.Records.flatMap((r) => {
    try {
      const e = JSON.parse(r.body) as Partial<OutboxEvent>;
      return typeof e?.id === "string" && typeof e.at === "string" ? [{ id: e.id, at: e.at }] : [];
    } catch {
      return [];
    }
  });
}

/**
 * First the received events' outbox rows are deleted, in one BatchWriteItem for the batch (#16:
 * the request that committed them no longer does): SQS now holds each event until it is processed
 * or dead-lettered, as the row did until it was received. A failed delete only leaves rows for the
 * outbox sweeper, which re-sends them (harmless: every step is idempotent by event id).
 */
export const handler = async (event: SQSEvent, context: Context) => {
  await deleteOutboxRows(outboxEventsOf(event)).catch((e) => logger.warn("outbox rows not deleted; the sweeper re-sends them", { error: (e as Error).message }));
  return consume(event, context);
};
