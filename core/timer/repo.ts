import { BatchGetCommand, DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";

/** What the sweep sends for a due timer (and the timeouts consumer applies). */
export interface TimerRow {
  caseId: string;
  stage: string;
  dueAt: string;
  version?: number;
  /** the row's position on its shard's index (`<dueAt>#<caseId>`) */
  at: string;
}

const row = (r: Record<string, unknown>): TimerRow => ({ caseId: r.caseId as string, stage: r.stage as string, dueAt: r.dueAt as string, version: r.version as number | undefined, at: r.gsi1sk as string });

/**
 * One page of a shard's timers due in `[from, to]` (positions `<dueAt>#<caseId>`), oldest first:
 * a Query on gsi1 `TIMERS#<shard>` (docs/data-model.md "Timers").
 */
export async function dueTimersPage(shard: number, from: string, to: string, start?: Record<string, unknown>, limit = 500): Promise<{ rows: TimerRow[]; next?: Record<string, unknown> }> {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: "gsi1",
      // a key value may not be empty: no watermark yet is no lower bound
      KeyConditionExpression: from ? "gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to" : "gsi1pk = :pk AND gsi1sk <= :to",
      ExpressionAttributeValues: { ":pk": keys.timerDue(shard, "", "").gsi1pk, ":to": to, ...(from ? { ":from": from } : {}) },
      ExclusiveStartKey: start,
      Limit: limit,
    }),
  );
  return { rows: (out.Items ?? []).map(row), next: out.LastEvaluatedKey };
}

/**
 * Timers of a shard due at or before `before` that are still there and were not re-sent since
 * `resendBefore`: the stragglers (a message that dead-lettered, a timer the watermark passed before
 * the index showed it). Normally none: one Query that reads nothing.
 */
export async function staleTimersPage(shard: number, before: string, resendBefore: string, limit = 100): Promise<TimerRow[]> {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND gsi1sk <= :before",
      FilterExpression: "attribute_not_exists(sweptAt) OR sweptAt < :resend",
      ExpressionAttributeValues: { ":pk": keys.timerDue(shard, "", "").gsi1pk, ":before": before, ":resend": resendBefore },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(row);
}

/**
 * A shard's sweep watermark: `upTo`, the position of the last timer sent; `checkpoint`, a position
 * every timer at or before which was sent by `checkpointAt` (what the straggler pass may look at).
 */
export interface SweepCursor {
  upTo: string;
  checkpoint: string;
  checkpointAt?: string;
}

/** The watermark of each of these shards (consistent; empty when the sweep never ran): ONE BatchGetItem. */
export async function sweepCursors(shards: number[]): Promise<SweepCursor[]> {
  const wanted = shards.map((i) => keys.timerSweepCursor(i));
  const found = new Map<string, SweepCursor>();
  let request: Record<string, any> | undefined = { [tableName()]: { Keys: wanted, ConsistentRead: true } };
  for (let attempt = 0; request && Object.keys(request).length; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** Math.min(attempt, 6)));
    const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, any> } = await db().send(new BatchGetCommand({ RequestItems: request }));
    for (const r of out.Responses?.[tableName()] ?? []) found.set(r.sk as string, { upTo: (r.upTo as string) ?? "", checkpoint: (r.checkpoint as string) ?? "", checkpointAt: r.checkpointAt as string | undefined });
    request = out.UnprocessedKeys;
  }
  return wanted.map((k) => found.get(k.sk) ?? { upTo: "", checkpoint: "" });
}

/**
 * Move a shard's watermark forward (never back: a slower, overlapping sweep changes nothing) — or,
 * with `reset` (the watermark was ahead of the clock), set it wherever it is.
 */
export async function saveSweepCursor(shard: number, next: SweepCursor, opts: { reset?: boolean } = {}): Promise<void> {
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.timerSweepCursor(shard),
        UpdateExpression: "SET upTo = :u, checkpoint = :c, checkpointAt = :ca, #et = :et",
        ConditionExpression: opts.reset ? undefined : "attribute_not_exists(upTo) OR upTo <= :u",
        ExpressionAttributeNames: { "#et": "_et" },
        ExpressionAttributeValues: { ":u": next.upTo, ":c": next.checkpoint, ":ca": next.checkpointAt ?? "", ":et": "SweepCursor" },
      }),
    )
    .catch((e) => {
      if ((e as { name?: string }).name !== "ConditionalCheckFailedException") throw e;
    });
}

/**
 * The watermark of the timers' one shard (#16; the item `SWEEP#timers / shard#0` the four-shard
 * sweep kept for shard 0, with more fields): where the sweep is, and `v`, its version — every write
 * is conditional on the version it was computed from, so a warm container may keep its copy and skip
 * the read (a failed condition means another sweep wrote it: read it again). `since`: when the
 * one-shard sweep first ran; `retired`: legacy shards found empty (no longer read).
 */
export interface Watermark extends SweepCursor {
  v: number;
  since?: string;
  retired: number[];
}

/** The timers' watermark (consistent GetItem; version 0 when never written by the one-shard sweep). */
export async function readWatermark(shard: number): Promise<Watermark> {
  const r = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.timerSweepCursor(shard), ConsistentRead: true }))).Item;
  return { upTo: (r?.upTo as string) ?? "", checkpoint: (r?.checkpoint as string) ?? "", checkpointAt: (r?.checkpointAt as string) || undefined, v: (r?.v as number) ?? 0, since: r?.since as string | undefined, retired: (r?.retired as number[]) ?? [] };
}

/** The update that writes `next` as version `expected + 1`, if the item is still at version `expected` (for a transaction too). */
export function watermarkUpdate(shard: number, next: Omit<Watermark, "v">, expected: number) {
  return {
    TableName: tableName(),
    Key: keys.timerSweepCursor(shard),
    UpdateExpression: "SET upTo = :u, checkpoint = :c, checkpointAt = :ca, #v = :nv, since = :since, retired = :r, #et = :et",
    ConditionExpression: expected === 0 ? "attribute_not_exists(#v)" : "#v = :v",
    ExpressionAttributeNames: { "#et": "_et", "#v": "v" },
    ExpressionAttributeValues: {
      ":u": next.upTo,
      ":c": next.checkpoint,
      ":ca": next.checkpointAt ?? "",
      ":nv": expected + 1,
      ":since": next.since ?? "",
      ":r": next.retired,
      ":et": "SweepCursor",
      ...(expected === 0 ? {} : { ":v": expected }),
    },
  };
}

/** Write the watermark if it is still at version `expected`: false when another sweep wrote it meanwhile. */
export async function saveWatermark(shard: number, next: Omit<Watermark, "v">, expected: number): Promise<boolean> {
  try {
    await db().send(new UpdateCommand(watermarkUpdate(shard, next, expected)));
    return true;
  } catch (e) {
    if ((e as { name?: string }).name === "ConditionalCheckFailedException") return false;
    throw e;
  }
}

/** Whether a shard holds any timer at all (one Query, Limit 1): a legacy shard found empty is retired. */
export async function shardHasTimers(shard: number): Promise<boolean> {
  const out = await db().send(new QueryCommand({ TableName: tableName(), IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk", ExpressionAttributeValues: { ":pk": keys.timerDue(shard, "", "").gsi1pk }, Limit: 1 }));
  return (out.Items ?? []).length > 0;
}

/** Mark a re-sent straggler, so the next sweeps leave it alone while its message is in flight. */
export async function markTimerResent(t: TimerRow, now: Date): Promise<void> {
  await db()
    .send(new UpdateCommand({ TableName: tableName(), Key: keys.caseTimer(t.caseId), UpdateExpression: "SET sweptAt = :now", ConditionExpression: "dueAt = :due", ExpressionAttributeValues: { ":now": now.toISOString(), ":due": t.dueAt } }))
    .catch(() => undefined); // replaced meanwhile: nothing to mark
}

/** Remove the row of a timer that no longer matches its case (fired late, twice, or after the case moved on). */
export async function deleteStaleTimer(caseId: string, dueAt: string, stage: string): Promise<void> {
  await db()
    .send(new DeleteCommand({ TableName: tableName(), Key: keys.caseTimer(caseId), ConditionExpression: "dueAt = :d AND stage = :s", ExpressionAttributeValues: { ":d": dueAt, ":s": stage } }))
    .catch(() => undefined);
}
