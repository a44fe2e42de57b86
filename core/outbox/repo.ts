import { BatchWriteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { shardOf } from "./shards.ts";

/** What an outbox row holds and is keyed by: the event's id and time. */
export interface OutboxEvent {
  id: string;
  at: string;
}

/** The key of an event's outbox row. */
export const outboxRowKey = (e: OutboxEvent) => keys.outbox(shardOf(e.id), e.at, e.id);

/**
 * Delete the outbox rows of events the `events` queue holds (docs/data-model.md "Outbox"): one
 * BatchWriteItem per 25 rows, unprocessed keys retried a few times. The events consumer calls it
 * with the events of a received batch (#16: no longer the request that published them).
 */
export async function deleteOutboxRows(received: OutboxEvent[]): Promise<void> {
  // a batch may hold one event twice (a re-send by the sweeper): a BatchWriteItem refuses duplicate keys
  const events = [...new Map(received.map((e) => [`${e.at}#${e.id}`, e])).values()];
  for (let i = 0; i < events.length; i += 25) {
    let request: Record<string, any> | undefined = {
      [tableName()]: events.slice(i, i + 25).map((e) => ({ DeleteRequest: { Key: outboxRowKey(e) } })),
    };
    for (let attempt = 0; request && Object.keys(request).length && attempt < 5; attempt++) {
      const out: { UnprocessedItems?: Record<string, any> } = await db().send(new BatchWriteCommand({ RequestItems: request }));
      request = out.UnprocessedItems;
    }
  }
}

/** One page of a shard's outbox rows written at or before `cut` (ISO time), oldest first. */
export async function outboxRowsBefore(shard: number, cut: string, start?: Record<string, unknown>): Promise<{ events: OutboxEvent[]; next?: Record<string, unknown> }> {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND sk <= :cut",
      ExpressionAttributeValues: { ":pk": keys.outbox(shard, "", "").pk, ":cut": `${cut}~` },
      Limit: 100,
      ExclusiveStartKey: start,
    }),
  );
  return { events: (out.Items ?? []).map((r) => r.event as OutboxEvent), next: out.LastEvaluatedKey };
}
