import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryPage, PageQuery, type Page } from "../db/page.ts";
import { ConflictError, InvalidError, NotFoundError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import { randomSecret } from "../auth/password.ts";
import type { Principal } from "../auth/principal.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { parse } from "../validate.ts";
import { forgetActiveWebhooks } from "./cache.ts";
import { deliveryItem, getDelivery, getWebhook, queueAndMark, webhookItem } from "./repo.ts";
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
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: webhookItem(w), ConditionExpression: "attribute_not_exists(pk)" } },
          auditPut({ actor: actorOf(p), action: "webhook.create", entity: "webhook", entityId: id, summary: `${w.name} → ${w.url} (${w.eventTypes.join(", ")})` }, now),
        ],
      }),
    );
  } catch (e) {
    mapStorageError(e, `Webhook ${id} already exists`);
  }
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
  return queryPage<WebhookView>(
    { IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.webhookList("", "").gsi1pk }, ScanIndexForward: false },
    q,
    { map: (raw) => toView(strip<Webhook>(raw)!) },
  );
}

/** Put the whole record back, conditional on the version read, with its audit row. */
async function save(p: Principal, current: Webhook, next: Webhook, action: string, now: Date, changes?: Record<string, { from: unknown; to: unknown }>): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: webhookItem(next),
              ConditionExpression: "#v = :v",
              ExpressionAttributeNames: { "#v": "version" },
              ExpressionAttributeValues: { ":v": current.version },
            },
          },
          auditPut({ actor: actorOf(p), action, entity: "webhook", entityId: next.id, summary: `${next.name} → ${next.url}`, changes }, now),
        ],
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) throw new ConflictError("The webhook was changed by someone else; reload and retry", { current: toView((await getWebhook(next.id, true)) ?? current) });
    mapStorageError(e);
  }
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
  return queryPage<Delivery>(
    {
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      FilterExpression: q.status ? "#s = :s" : undefined,
      ExpressionAttributeNames: q.status ? { "#s": "status" } : undefined,
      ExpressionAttributeValues: { ":pk": keys.webhookDeliveryLog(id, "", "").gsi1pk, ...(q.status ? { ":s": q.status } : {}) },
      ScanIndexForward: false,
    },
    q,
  );
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
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: deliveryItem(next, now),
              ConditionExpression: "#v = :v",
              ExpressionAttributeNames: { "#v": "version" },
              ExpressionAttributeValues: { ":v": d.version },
            },
          },
          auditPut({ actor: actorOf(p), action: "webhook.redeliver", entity: "webhook", entityId: id, summary: `${d.eventType} ${d.caseNumber} (${deliveryId}), was ${d.status}` }, now),
        ],
      }),
    );
  } catch (e) {
    mapStorageError(e, "The delivery changed meanwhile; reload and retry");
  }
  await queueAndMark(deliveryId, next.attempts);
  return next;
}

