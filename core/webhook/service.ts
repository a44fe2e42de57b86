import { ulid } from "ulid";
import { PageQuery, type Page } from "../db/page.ts";
import { ConflictError, InvalidError, NotFoundError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import { randomSecret } from "../auth/password.ts";
import type { Principal } from "../auth/principal.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { parse } from "../validate.ts";
import { forgetActiveWebhooks } from "./cache.ts";
import { deliveriesPage, getDelivery, getWebhook, insertWebhook, queueAndMark, replaceDelivery, replaceWebhook, webhooksPage } from "./repo.ts";
import { CreateWebhook, DeliveryQuery, UpdateWebhook, type Delivery, type Webhook, type WebhookView } from "./schema.ts";
import { urlProblem } from "./url.ts";

const PERM = "webhooks:manage";

/** A signing secret: `whsec_` + 32 random bytes (base64url). The whole string is the HMAC key. */
export const newSecret = (): string => `whsec_${randomSecret(32)}`;

export function toView(w: Webhook): WebhookView {
  const { secret, ...rest } = w;
  return { ...rest, secretHint: `…${secret.slice(-4)}` };
}

/** http is allowed to loopback only on the local stack. */
function checkUrl(url: string): void {
  const problem = urlProblem(url, process.env.WANGGE_STAGE === "local");
  if (problem) throw new InvalidError("Invalid webhook URL", { fields: [{ path: "url", message: problem }] });
}

async function mustGet(id: string): Promise<Webhook> {
  const w = await getWebhook(id, true);
  if (!w) throw new NotFoundError(`Webhook ${id} not found`);
  return w;
}

/** Webhooks carry events of the whole county: county-wide `webhooks:manage` only (county_admin). */
export async function createWebhook(p: Principal, input: unknown, now: Date): Promise<WebhookView & { secret: string }> {
  requireCountyWide(p, PERM);
  const data = parse(CreateWebhook, input, "webhook");
  checkUrl(data.url);
  const id = ulid(now.getTime());
  const at = now.toISOString();
  const w: Webhook = { id, name: data.name, url: data.url, eventTypes: data.eventTypes, secret: newSecret(), active: data.active, createdAt: at, createdBy: p.id, updatedAt: at, version: 1 };
  await insertWebhook(w, auditPut({ actor: actorOf(p), action: "webhook.create", entity: "webhook", entityId: id, summary: `${w.name} → ${w.url} (${w.eventTypes.join(", ")})` }, now));
  forgetActiveWebhooks();
  return { ...toView(w), secret: w.secret };
}

export async function readWebhook(p: Principal, id: string): Promise<WebhookView> {
  requireCountyWide(p, PERM);
  return toView(await mustGet(id));
}

/** Every subscription, newest first. */
export async function listWebhooks(p: Principal, input: unknown): Promise<Page<WebhookView>> {
  requireCountyWide(p, PERM);
  const q = parse(PageQuery, input, "query");
  return webhooksPage(q, toView);
}

/** Put the whole record back, conditional on the version read, with its audit row. */
async function save(p: Principal, current: Webhook, next: Webhook, action: string, now: Date, changes?: Record<string, { from: unknown; to: unknown }>): Promise<void> {
  const audit = auditPut({ actor: actorOf(p), action, entity: "webhook", entityId: next.id, summary: `${next.name} → ${next.url}`, changes }, now);
  if (!(await replaceWebhook(next, current.version, audit))) throw new ConflictError("The webhook was changed by someone else; reload and retry", { current: toView((await getWebhook(next.id, true)) ?? current) });
  forgetActiveWebhooks();
}

/** Change name, URL, event types or active with the version read (409 on a stale version). */
export async function updateWebhook(p: Principal, id: string, input: unknown, now: Date): Promise<WebhookView> {
  requireCountyWide(p, PERM);
  const { version, ...changes } = parse(UpdateWebhook, input, "webhook update");
  if (changes.url !== undefined) checkUrl(changes.url);
  const current = await mustGet(id);
  if (current.version !== version) throw new ConflictError("The webhook was changed by someone else; reload and retry", { current: toView(current) });
  const next: Webhook = { ...current, ...changes, version: current.version + 1, updatedAt: now.toISOString() };
  const { secret: _a, ...before } = current;
  const { secret: _b, ...after } = next;
  await save(p, current, next, "webhook.update", now, diff(before, after));
  return toView(next);
}

/** A new signing secret, effective at once for every attempt from now on; returned this once. */
export async function rotateWebhookSecret(p: Principal, id: string, now: Date): Promise<WebhookView & { secret: string }> {
  requireCountyWide(p, PERM);
  const current = await mustGet(id);
  const at = now.toISOString();
  const next: Webhook = { ...current, secret: newSecret(), secretRotatedAt: at, updatedAt: at, version: current.version + 1 };
  await save(p, current, next, "webhook.rotate-secret", now);
  return { ...toView(next), secret: next.secret };
}

/** A subscription's delivery log, newest first (optionally one status). */
export async function listDeliveries(p: Principal, id: string, input: unknown): Promise<Page<Delivery>> {
  requireCountyWide(p, PERM);
  const q = parse(DeliveryQuery, input, "query");
  await mustGet(id);
  return deliveriesPage(id, q.status, q);
}

/**
 * Send a delivery again (a new round of up to MAX_ATTEMPTS), whatever its status — except while it
 * is still being retried (409). A pending delivery whose queue message is missing may be redelivered.
 */
export async function redeliver(p: Principal, id: string, deliveryId: string, now: Date): Promise<Delivery> {
  requireCountyWide(p, PERM);
  const sub = await mustGet(id);
  const d = deliveryId.startsWith(`${id}:`) ? await getDelivery(deliveryId, true) : undefined;
  if (!d) throw new NotFoundError(`Delivery ${deliveryId} not found`);
  if (!sub.active) throw new ConflictError("The webhook is inactive; activate it before redelivering");
  const stuck = d.status === "pending" && (d.queuedAttempt ?? -1) < d.attempts;
  if (d.status === "pending" && !stuck) throw new ConflictError("The delivery is still being attempted", { delivery: d });
  const at = now.toISOString();
  const next: Delivery = { ...d, status: "pending", roundStart: d.attempts, redeliveries: d.redeliveries + 1, updatedAt: at, version: d.version + 1 };
  delete next.completedAt;
  delete next.nextAttemptAt;
  delete next.lastError;
  await replaceDelivery(next, d.version, now, auditPut({ actor: actorOf(p), action: "webhook.redeliver", entity: "webhook", entityId: id, summary: `${d.eventType} ${d.caseNumber} (${deliveryId}), was ${d.status}` }, now));
  await queueAndMark(deliveryId, next.attempts);
  return next;
}

