import { applyEvent } from "../../core/aggregate/apply.ts";
import { notify } from "../../core/notify/inbox.ts";
import { deliverToWebhooks } from "../../core/webhook/enqueue.ts";
import { recordPartnerUpdate } from "../../core/open311/repo.ts";
import type { DomainEvent } from "../../core/case/repo.ts";
import { sqsConsumer } from "../sqs.ts";

/**
 * Domain events from the outbox. Each consumer step is idempotent by event id (aggregates by a
 * processed mark in the same transaction; notifications by their key; webhook deliveries by
 * delivery id; Open311 updates by event id), so a redelivered or duplicated event changes nothing.
 */
export const handler = sqsConsumer("events", async (body) => {
  const e = body as DomainEvent;
  if (!e?.id || !e.caseId || !e.type) throw new Error("not a domain event");
  await applyEvent(e);
  await notify(e);
  await deliverToWebhooks(e);
  await recordPartnerUpdate(e);
});
