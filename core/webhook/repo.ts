import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { sqsSend } from "../sqs.ts";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { isConditionFailure, mapStorageError } from "../db/errors.ts";
import { queryPage, type Page } from "../db/page.ts";
import type { auditPut } from "../audit/entry.ts";
import type { Delivery, DeliveryMessage, Webhook } from "./schema.ts";

/** Delivery records expire 30 days after creation (or the last manual redelivery): DynamoDB TTL. */
export const DELIVERY_TTL_SECONDS = 30 * 24 * 3600;

/** The subscription item; only active ones carry the sparse gsi2 key the dispatcher queries. */
export function webhookItem(w: Webhook) {
  return item("Webhook", { ...keys.webhook(w.id), ...keys.webhookList(w.createdAt, w.id), ...(w.active ? keys.webhookActive(w.id) : {}) }, w);
}

export function deliveryItem(d: Delivery, now: Date) {
  return item("WebhookDelivery", { ...keys.webhookDelivery(d.id), ...keys.webhookDeliveryLog(d.subscriptionId, d.createdAt, d.eventId) }, {
    ...d,
    expiresAt: Math.floor(now.getTime() / 1000) + DELIVERY_TTL_SECONDS,
  });
}

/** Create a delivery record once (a redelivered event finds it): true when this call created it. */
export async function createDelivery(d: Delivery, now: Date): Promise<boolean> {
  try {
    await db().send(new PutCommand({ TableName: tableName(), Item: deliveryItem(d, now), ConditionExpression: "attribute_not_exists(pk)" }));
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

export async function getWebhook(id: string, consistent = false): Promise<Webhook | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.webhook(id), ConsistentRead: consistent }));
  return strip<Webhook>(out.Item);
}

export async function getDelivery(id: string, consistent = false): Promise<Delivery | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.webhookDelivery(id), ConsistentRead: consistent }));
  return strip<Delivery>(out.Item);
}

/** Id and filter of every active subscription (one Query on the sparse index; a county has a handful). */
export async function listActiveWebhooks(): Promise<Array<Pick<Webhook, "id" | "eventTypes">>> {
  const found: Array<Pick<Webhook, "id" | "eventTypes">> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "gsi2",
        KeyConditionExpression: "gsi2pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.webhookActive("").gsi2pk },
        ProjectionExpression: "id, eventTypes",
        ExclusiveStartKey: start,
      }),
    );
    for (const raw of out.Items ?? []) found.push({ id: String(raw.id), eventTypes: (raw.eventTypes as string[]) ?? [] });
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
}

/** Queue attempt `attempt` of a delivery on the webhooks queue, after `delaySeconds` (SQS delay, ≤ 900). */
export async function queueAttempt(msg: DeliveryMessage, delaySeconds = 0): Promise<void> {
  const url = process.env.WANGGE_QUEUE_WEBHOOKS_URL;
  if (!url) throw new Error("WANGGE_QUEUE_WEBHOOKS_URL is not set");
  await sqsSend("SendMessage", { QueueUrl: url, MessageBody: JSON.stringify(msg), DelaySeconds: Math.min(900, Math.max(0, Math.round(delaySeconds))) });
}

/** Note that a message for `attempt` was sent (so a pass that finds it missing re-sends it). Bookkeeping: never fails the caller on a lost race. */
export async function markQueued(deliveryId: string, attempt: number): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.webhookDelivery(deliveryId),
        UpdateExpression: "SET queuedAttempt = :n",
        ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(queuedAttempt) OR queuedAttempt < :n)",
        ExpressionAttributeValues: { ":n": attempt },
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
}

/** Send the message for `attempt` and note it. */
export async function queueAndMark(deliveryId: string, attempt: number, delaySeconds = 0): Promise<void> {
  await queueAttempt({ deliveryId, attempt }, delaySeconds);
  await markQueued(deliveryId, attempt);
}

// ---------------------------------------------------------------- writes of the management API (core/webhook/service.ts)

type AuditPart = ReturnType<typeof auditPut>;

/** A new subscription with its audit row (one transaction; a taken id is a 409). */
export async function insertWebhook(w: Webhook, audit: AuditPart): Promise<void> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: tableName(), Item: webhookItem(w), ConditionExpression: "attribute_not_exists(pk)" } }, audit] }));
  } catch (e) {
    mapStorageError(e, `Webhook ${w.id} already exists`);
  }
}

/** The whole subscription put back at the version read, with its audit row; false when it changed meanwhile. */
export async function replaceWebhook(next: Webhook, version: number, audit: AuditPart): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: webhookItem(next), ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":v": version } } },
          audit,
        ],
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    mapStorageError(e);
  }
}

/** A delivery put back at the version read (a redelivery), with its audit row; a changed one is a 409. */
export async function replaceDelivery(next: Delivery, version: number, now: Date, audit: AuditPart): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: deliveryItem(next, now), ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":v": version } } },
          audit,
        ],
      }),
    );
  } catch (e) {
    mapStorageError(e, "The delivery changed meanwhile; reload and retry");
  }
}

/** Every subscription, newest first (gsi1 `WEBHOOKS`). */
export function webhooksPage<T>(page: { limit: number; cursor?: string }, map: (w: Webhook) => T): Promise<Page<T>> {
  return queryPage<T>(
    { IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.webhookList("", "").gsi1pk }, ScanIndexForward: false },
    page,
    { map: (raw) => map(strip<Webhook>(raw)!) },
  );
}

/** A subscription's delivery log, newest first (gsi1), optionally of one status. */
export function deliveriesPage(webhookId: string, status: string | undefined, page: { limit: number; cursor?: string }): Promise<Page<Delivery>> {
  return queryPage<Delivery>(
    {
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      FilterExpression: status ? "#s = :s" : undefined,
      ExpressionAttributeNames: status ? { "#s": "status" } : undefined,
      ExpressionAttributeValues: { ":pk": keys.webhookDeliveryLog(webhookId, "", "").gsi1pk, ...(status ? { ":s": status } : {}) },
      ScanIndexForward: false,
    },
    page,
  );
}

// ---------------------------------------------------------------- the attempt's record (core/webhook/attempt.ts)

/** One UpdateItem on a delivery still pending at attempt `:k` (the caller's values carry `:k` and `:pending`); false when it moved on. */
export async function updatePendingDelivery(id: string, expression: string, values: Record<string, unknown>): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.webhookDelivery(id),
        UpdateExpression: expression,
        ConditionExpression: "attempts = :k AND #s = :pending",
        ExpressionAttributeNames: { "#s": "status", "#v": "version" },
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}
