import { clock } from "../clock.ts";
import { logger } from "../log.ts";
import type { DomainEvent } from "../case/repo.ts";
import { activeWebhooks } from "./cache.ts";
import { deliveryIdOf, matchesType, toPayload } from "./payload.ts";
import { createDelivery, getDelivery, queueAndMark } from "./repo.ts";
import type { Delivery } from "./schema.ts";

export { forgetActiveWebhooks } from "./cache.ts";

/** A request the store refuses for good (e.g. an oversized item): retrying the event cannot help. */
const isPermanent = (e: unknown): boolean => (e as { name?: string })?.name === "ValidationException";

class BadDelivery extends Error {}

/**
 * Fan an event out to the active subscriptions whose filter takes its type: one delivery record per
 * subscription, id `${subscriptionId}:${eventId}`, created with attribute_not_exists (a redelivered
 * event finds it and adds nothing), then one message on the webhooks queue. A record whose message
 * was never sent (the previous pass died in between) gets it now.
 *
 * One bad subscription is logged and skipped; a storage or queue failure is thrown after every
 * subscription was tried, so the events consumer reports the event and it comes back.
 */
export async function deliverToWebhooks(e: DomainEvent): Promise<void> {
  const subs = (await activeWebhooks()).filter((s) => matchesType(s.eventTypes, e.type));
  if (!subs.length) return;
  const now = clock.now();
  const results = await Promise.allSettled(subs.map((s) => enqueueOne(s.id, e, now)));
  let storageFailure: unknown;
  results.forEach((r, i) => {
    if (r.status === "fulfilled") return;
    const info = { subscriptionId: subs[i].id, eventId: e.id, error: (r.reason as Error)?.message };
    if (r.reason instanceof BadDelivery || isPermanent(r.reason)) {
      logger.error("webhook enqueue skipped a subscription", info);
    } else {
      logger.warn("webhook enqueue failed; the event will be redelivered", info);
      storageFailure ??= r.reason;
    }
  });
  if (storageFailure) throw storageFailure;
}

async function enqueueOne(subscriptionId: string, e: DomainEvent, now: Date): Promise<void> {
  const id = deliveryIdOf(subscriptionId, e.id);
  const record = build(id, subscriptionId, e, now);
  if (!(await createDelivery(record, now))) {
    const existing = await getDelivery(id, true);
    const neverQueued = existing && existing.status === "pending" && existing.attempts === 0 && existing.queuedAttempt === undefined;
    if (!neverQueued) return; // the same event again: nothing to do
  }
  await queueAndMark(id, 0);
}

function build(id: string, subscriptionId: string, e: DomainEvent, now: Date): Delivery {
  try {
    const at = now.toISOString();
    return {
      id,
      subscriptionId,
      eventId: e.id,
      eventType: e.type,
      caseId: e.caseId,
      caseNumber: e.caseNumber,
      status: "pending",
      attempts: 0,
      roundStart: 0,
      payload: toPayload(id, e),
      history: [],
      redeliveries: 0,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
  } catch (err) {
    throw new BadDelivery(`cannot build the delivery: ${(err as Error).message}`);
  }
}
