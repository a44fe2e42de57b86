import { QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { isConditionFailure } from "../db/errors.ts";

/**
 * The table side of the rolling rate windows (core/ratelimit/window.ts): one counter item per
 * bucket and slot, `pk = RATE#<bucket>`, `sk = SLOT#<slot start ms, 13 digits>` (docs/data-model.md).
 */
export interface Slot {
  start: number;
  n: number;
  last: number;
}

const pad = (n: number) => String(n).padStart(13, "0");
const slotKey = (bucket: string, start: number) => keys.rateSlot(bucket, pad(start));

/** The bucket's slots from `from` to `to` (slot starts, ms), strongly consistent: one Query. */
export async function readSlots(bucket: string, from: number, to: number): Promise<Slot[]> {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: { ":pk": slotKey(bucket, 0).pk, ":from": slotKey(bucket, from).sk, ":to": slotKey(bucket, to).sk },
      ProjectionExpression: "sk, n, #last",
      ExpressionAttributeNames: { "#last": "last" },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => ({ start: Number(String(i.sk).slice(5)), n: Number(i.n ?? 0), last: Number(i.last ?? 0) }));
}

/**
 * `ADD n 1` on the slot starting at `start` if it holds fewer than `room` (one conditional
 * UpdateItem; `last` = `nowMs`, TTL `expiresAt` in epoch seconds). The slot's new count, or
 * undefined when the condition failed (the window is full).
 */
export async function addToSlot(bucket: string, start: number, room: number, nowMs: number, expiresAt: number): Promise<number | undefined> {
  try {
    const out = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: slotKey(bucket, start),
        UpdateExpression: "ADD n :one SET #last = :now, expiresAt = if_not_exists(expiresAt, :exp), #et = :et",
        ConditionExpression: "attribute_not_exists(n) OR n < :room",
        ExpressionAttributeNames: { "#et": "_et", "#last": "last" },
        ExpressionAttributeValues: { ":one": 1, ":room": room, ":now": nowMs, ":exp": expiresAt, ":et": "RateSlot" },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return Number(out.Attributes?.n ?? 1);
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    throw e;
  }
}

/** One transaction: `ADD n -1` on each slot, each guarded by `n >= 1` (all or nothing). */
export async function takeBackFromSlots(taken: readonly { bucket: string; slot: number }[]): Promise<void> {
  await db().send(
    new TransactWriteCommand({
      TransactItems: taken.map((t) => ({
        Update: {
          TableName: tableName(),
          Key: slotKey(t.bucket, t.slot),
          UpdateExpression: "ADD n :minus",
          ConditionExpression: "n >= :one",
          ExpressionAttributeValues: { ":minus": -1, ":one": 1 },
        },
      })),
    }),
  );
}
