import * as z from "zod";
import { Cursor } from "../db/ids.ts";
import { EventType } from "../case/schema.ts";

/** `*` (every case event) or one case event type (`reported`, `dispatched`, `closed`, …). */
export const WebhookEventType = z.union([z.literal("*"), EventType]);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

const Name = z.string().trim().min(1, "required").max(64);
/** Checked further by `urlProblem` (https only; http to loopback on the local stage). */
const Url = z.string().trim().min(1, "required").max(2048);
const EventTypes = z
  .array(WebhookEventType)
  .min(1, "at least one event type, or *")
  .max(40)
  .transform((types) => (types.includes("*") ? ["*"] : [...new Set(types)]));

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
  secretRotatedAt: z.string().optional(),
  version: z.number().int(),
});
export type Webhook = z.infer<typeof Webhook>;

/** What the API shows: everything but the secret (its last 4 characters as a hint). */
export type WebhookView = Omit<Webhook, "secret"> & { secretHint: string };

export const CreateWebhook = z
  .object({
    name: Name,
    url: Url,
    eventTypes: EventTypes,
    active: z.boolean().default(true),
  })
  .strict();

export const UpdateWebhook = z
  .object({
    version: z.number().int().min(1),
    name: Name.optional(),
    url: Url.optional(),
    eventTypes: EventTypes.optional(),
    active: z.boolean().optional(),
  })
  .strict();

export const DeliveryStatus = z.enum(["pending", "succeeded", "failed", "skipped"]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** One HTTP attempt of a delivery. */
export const Attempt = z.object({
  n: z.number().int(),
  at: z.string(),
  statusCode: z.number().int().optional(),
  error: z.string().optional(),
  durationMs: z.number().int(),
  /** the first characters of the receiver's response body (diagnostics) */
  response: z.string().optional(),
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
  attempts: z.number().int(),
  roundStart: z.number().int(),
  queuedAttempt: z.number().int().optional(),
  payload: Payload,
  lastAttempt: Attempt.optional(),
  /** the latest attempts, oldest first (at most 20) */
  history: z.array(Attempt),
  nextAttemptAt: z.string().optional(),
  /** why a delivery was skipped without an attempt (subscription inactive or deleted) */
  lastError: z.string().optional(),
  completedAt: z.string().optional(),
  redeliveries: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryQuery = z.object({
  status: DeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
});

/** The webhooks queue message: deliver attempt `attempt` (absolute, 0-based) of one delivery. */
export const DeliveryMessage = z.object({
  deliveryId: z.string().min(1).max(400),
  attempt: z.number().int().min(0),
});
export type DeliveryMessage = z.infer<typeof DeliveryMessage>;
