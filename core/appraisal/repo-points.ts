import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { item, strip } from "../db/items.ts";
import { failedConditionIndexes, isConditionFailure, mapStorageError } from "../db/errors.ts";
import { ConflictError } from "../errors.ts";
import { queryAll } from "../db/page.ts";
import type { auditPut } from "../audit/entry.ts";
import { batchGet } from "../indicator/repo.ts";
import type { PointsEntry } from "./points.ts";

/**
 * The points ledger's table access (#16, the repo is the one door): a worker's partition
 * `POINTS#<userId>` holds the balance (`BALANCE`) and one entry per month earned and per
 * redemption (`E#<month>#<earn|redeem>#<id>`).
 */

const isTransactionConflict = (e: unknown): boolean =>
  (e as { name?: string }).name === "TransactionCanceledException" &&
  ((e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).some((r) => r.Code === "TransactionConflict");

/** The points of the worker's earn entry of the month (strongly consistent); undefined: none. */
export async function earnedPointsOf(userId: string, period: string, earnId: string): Promise<number | undefined> {
  const o = await db().send(new GetCommand({ TableName: tableName(), Key: keys.pointsEntry(userId, period, "earn", earnId), ConsistentRead: true }));
  return o.Item ? Number(o.Item.points) : undefined;
}

/** The points of many workers' earn entries (one strongly consistent BatchGet per 100): userId → points; a worker without one is absent. */
export async function earnedPointsOfMany(of: { userId: string; period: string }[], earnId: string): Promise<Map<string, number>> {
  const earned = await batchGet(of.map((o) => keys.pointsEntry(o.userId, o.period, "earn", earnId)), ["userId", "points"], true);
  return new Map(earned.map((e) => [e.userId as string, Number(e.points)]));
}

/**
 * Write a month's earn entry (only while the stored one still holds `old` points; undefined: none
 * is stored) and move the balance by `delta`, in one transaction.
 */
export async function writeEarned(entry: PointsEntry, old: number | undefined, delta: number): Promise<void> {
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: item("PointsEntry", keys.pointsEntry(entry.userId, entry.period, "earn", entry.id), entry),
            ...(old === undefined
              ? { ConditionExpression: "attribute_not_exists(pk)" }
              : { ConditionExpression: "points = :old", ExpressionAttributeValues: { ":old": old } }),
          },
        },
        {
          Update: {
            TableName: tableName(),
            Key: keys.pointsBalance(entry.userId),
            UpdateExpression: "ADD balance :d, earned :d SET userId = :u, #et = :et, updatedAt = :at",
            ExpressionAttributeNames: { "#et": "_et" },
            ExpressionAttributeValues: { ":d": delta, ":u": entry.userId, ":et": "PointsBalance", ":at": entry.at },
          },
        },
      ],
    }),
  );
}

/** The worker's whole ledger, strongly consistent: the balance item (raw; undefined: none yet) and the entries, oldest first. */
export async function ledgerOf(userId: string): Promise<{ balance: Record<string, unknown> | undefined; entries: PointsEntry[] }> {
  const items = await queryAll({ KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.pointsBalance(userId).pk }, ConsistentRead: true });
  const balance = items.find((i) => i.sk === keys.pointsBalance(userId).sk);
  const entries = items.filter((i) => String(i.sk).startsWith(keys.pointsEntryPrefix)).map((i) => strip<PointsEntry>(i)!);
  return { balance, entries };
}

/** The worker's balance now (strongly consistent; 0 without a balance item). */
export async function pointsBalanceOf(userId: string): Promise<number> {
  const current = await db().send(new GetCommand({ TableName: tableName(), Key: keys.pointsBalance(userId), ConsistentRead: true }));
  return Number(current.Item?.balance ?? 0);
}

/**
 * A redemption in one transaction: the balance goes down only if it covers `points`
 * (`balance >= :p`), the entry (new: `attribute_not_exists`) and the audit row are written with
 * it. Concurrent redemptions of one worker conflict as transactions: those are retried (a
 * condition failure is final). When the entry exists already and `idempotent`, returns it (a
 * retry of the same redemption); otherwise a failed condition is 409 "Not enough points".
 */
export async function writeRedemption(entry: PointsEntry, points: number, audit: ReturnType<typeof auditPut>, idempotent: boolean): Promise<PointsEntry | undefined> {
  const transaction = new TransactWriteCommand({
    TransactItems: [
      {
        Update: {
          TableName: tableName(),
          Key: keys.pointsBalance(entry.userId),
          UpdateExpression: "SET balance = balance - :p, updatedAt = :at ADD redeemed :p",
          ConditionExpression: "balance >= :p",
          ExpressionAttributeValues: { ":p": points, ":at": entry.at },
        },
      },
      { Put: { TableName: tableName(), Item: item("PointsEntry", keys.pointsEntry(entry.userId, entry.period, "redeem", entry.id), entry), ConditionExpression: "attribute_not_exists(pk)" } },
      audit,
    ],
  });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await db().send(transaction);
        break;
      } catch (e) {
        if (attempt >= 8 || isConditionFailure(e) || !isTransactionConflict(e)) throw e;
        await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * (attempt + 1)));
      }
    }
  } catch (e) {
    if (isConditionFailure(e)) {
      if (idempotent && failedConditionIndexes(e).includes(1)) {
        const prior = await db().send(new GetCommand({ TableName: tableName(), Key: keys.pointsEntry(entry.userId, entry.period, "redeem", entry.id), ConsistentRead: true }));
        if (prior.Item) return strip<PointsEntry>(prior.Item)!;
      }
      throw new ConflictError("Not enough points", { balance: await pointsBalanceOf(entry.userId), asked: points });
    }
    mapStorageError(e);
  }
  return undefined;
}
