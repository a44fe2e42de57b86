import type { DomainEvent } from "../case/repo.ts";
import type { Payload } from "./schema.ts";

/** Deterministic: one delivery per (subscription, event), whatever the number of times the event arrives. */
export const deliveryIdOf = (subscriptionId: string, eventId: string): string => `${subscriptionId}:${eventId}`;

/** Does a subscription's filter take this event type? */
export const matchesType = (eventTypes: readonly string[], type: string): boolean => eventTypes.includes("*") || eventTypes.includes(type);

/**
 * The body sent to partners: `{id: deliveryId, type, occurredAt, data}`, where `data` is the event
 * without internal fields. It is an allow-list, so fields added to DomainEvent later stay internal
 * until published on purpose. Left out: notification hints (`data.notify`), the materialized unit
 * path, attachment object keys, the reporter (personal data), flags, stage deadlines, `seq`.
 */
export function toPayload(deliveryId: string, e: DomainEvent): Payload {
  const { notify: _notify, ...details } = (e.data ?? {}) as Record<string, unknown>;
  const data: Record<string, unknown> = {
    eventId: e.id,
    type: e.type,
    action: e.action,
    caseId: e.caseId,
    caseNumber: e.caseNumber,
    categoryId: e.categoryId,
    unitId: e.unitId,
    from: e.from,
    to: e.to,
    actor: e.actor ? { kind: e.actor.kind, id: e.actor.id } : undefined,
    at: e.at,
    version: e.version,
    note: e.note,
    urgent: e.urgent,
    owner: e.owner,
    handler: e.handler,
    dueAt: e.dueAt,
    caseCreatedAt: e.createdAt,
    details,
  };
  for (const k of Object.keys(data)) if (data[k] === undefined) delete data[k];
  return { id: deliveryId, type: e.type, occurredAt: e.at, data };
}
