import { BatchWriteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { sqs } from "../aws.ts";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { logger } from "../log.ts";
import { SHARDS, shardOf } from "./shards.ts";

export interface Publishable {
  id: string;
  at: string;
}

const queueUrl = () => {
  const url = process.env.WANGGE_QUEUE_EVENTS_URL;
  if (!url) throw new Error("WANGGE_QUEUE_EVENTS_URL is not set");
  return url;
};

/**
 * Send committed domain events to the `events` queue, then delete their outbox rows. Never
 * throws: if anything fails the rows stay and the outbox sweeper sends them later (consumers are
 * idempotent by event id, so a double send is harmless).
 */
export async function publishEvents(events: Publishable[]): Promise<number> {
  let sent = 0;
  for (let i = 0; i < events.length; i += 10) {
    const batch = events.slice(i, i + 10);
    try {
      const { SendMessageBatchCommand } = await import("@aws-sdk/client-sqs");
      const out = await (await sqs()).send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl(),
          Entries: batch.map((e, j) => ({ Id: String(j), MessageBody: JSON.stringify(e), MessageAttributes: { eventId: { DataType: "String", StringValue: e.id } } })),
        }),
      );
      const ok = new Set((out.Successful ?? []).map((s) => Number(s.Id)));
      const done = batch.filter((_, j) => ok.has(j));
      if (done.length) {
        await db().send(
          new BatchWriteCommand({ RequestItems: { [tableName()]: done.map((e) => ({ DeleteRequest: { Key: keys.outbox(shardOf(e.id), e.at, e.id) } })) } }),
        );
      }
      sent += done.length;
    } catch (err) {
      logger.warn("outbox publish deferred to sweeper", { error: (err as Error).message, events: batch.length });
    }
  }
  return sent;
}

/** Republish outbox rows older than `graceMs` (the request that wrote them died or failed to publish). */
export async function sweepOutbox(now: Date, graceMs = 10_000): Promise<{ republished: number; found: number }> {
  const cut = new Date(now.getTime() - graceMs).toISOString();
  let found = 0;
  let republished = 0;
  for (let shard = 0; shard < SHARDS; shard++) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: "pk = :pk AND sk <= :cut",
          ExpressionAttributeValues: { ":pk": keys.outbox(shard, "", "").pk, ":cut": `${cut}~` },
          Limit: 100,
          ExclusiveStartKey: start,
        }),
      );
      const events = (out.Items ?? []).map((r) => r.event as Publishable);
      found += events.length;
      republished += await publishEvents(events);
      start = out.LastEvaluatedKey;
    } while (start);
  }
  return { republished, found };
}
