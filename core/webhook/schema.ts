import * as z from "zod/mini";
import { Cursor } from "../db/ids.ts";
import { EventType } from "../case/schema.ts";

/** `*` (every case event) or one case event type (`reported`, `dispatched`, `closed`, …). */
export const WebhookEventType = z.union([z.literal("*"), EventType]);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

const Name = z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(64));
/** Checked further by `urlProblem` (https only; http to loopback on the local stage). */
const Url = z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(2048));
const EventTypes = z.pipe(z.array(WebhookEventType).check(z.minLength(1, "at least one event type, or *"), z.maxLength(40)), z.transform((types) => (types.includes("*") ? ["*"] : [...new Set(types)])));

/** A partner subscription. `secret` signs every delivery: stored as is (it is needed to sign), never returned after creation/rotation. */
export const Webhook = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  secret: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  secretRotatedAt: z.optional(z.string()),
  version: z.number().check(z.int()),
});
export type Webhook = z.infer<typeof Webhook>;

/** What the API shows: everything but the secret (its last 4 characters as a hint). */
export type WebhookView = Omit<Webhook, "secret"> & { secretHint: string };

export const CreateWebhook = z.strictObject({
    name: Name,
    url: Url,
    eventTypes: EventTypes,
    active: z._default(z.boolean(), true),
  });

export const UpdateWebhook = z.strictObject({
    version: z.number().check(z.int(), z.gte(1)),
    name: z.optional(Name),
    url: z.optional(Url),
    eventTypes: z.optional(EventTypes),
    active: z.optional(z.boolean()),
  });

export const DeliveryStatus = z.enum(["pending", "succeeded", "failed", "skipped"]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** One HTTP attempt of a delivery. */
export const Attempt = z.object({
  n: z.number().check(z.int()),
  at: z.string(),
  statusCode: z.optional(z.number().check(z.int())),
  error: z.optional(z.string()),
  durationMs: z.number().check(z.int()),
  /** the first characters of the receiver's response body (diagnostics) */
  response: z.optional(z.string()),
});
export type Attempt = z.infer<typeof Attempt>;

/** The JSON body POSTed to the receiver (signed as sent). */
export const Payload = z.object({
  id: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type Payload = z.infer<typeof Payload>;

/**
 * One event for one subscription: id `${subscriptionId}:${eventId}` (deterministic, so a redelivered
 * event finds it). `attempts` counts every HTTP attempt; a manual redelivery starts a new round at
 * `roundStart` (each round gets MAX_ATTEMPTS). `queuedAttempt` is the highest attempt a queue
 * message was sent for (a message lost between record and send is re-sent on the next pass).
 */
export const Delivery = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  caseId: z.string(),
  caseNumber: z.string(),
  status: DeliveryStatus,
  attempts: z.number().check(z.int()),
  roundStart: z.number().check(z.int()),
  queuedAttempt: z.optional(z.number().check(z.int())),
  payload: Payload,
  lastAttempt: z.optional(Attempt),
  /** the latest attempts, oldest first (at most 20) */
  history: z.array(Attempt),
  nextAttemptAt: z.optional(z.string()),
  /** why a delivery was skipped without an attempt (subscription inactive or deleted) */
  lastError: z.optional(z.string()),
  completedAt: z.optional(z.string()),
  redeliveries: z.number().check(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().check(z.int()),
});
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryQuery = z.object({
  status: z.optional(DeliveryStatus),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

/** The webhooks queue message: deliver attempt `attempt` (absolute, 0-based) of one delivery. */
export const DeliveryMessage = z.object({
  deliveryId: z.string().check(z.minLength(1), z.maxLength(400)),
  attempt: z.number().check(z.int(), z.gte(0)),
});
export type DeliveryMessage = z.infer<typeof DeliveryMessage>;
