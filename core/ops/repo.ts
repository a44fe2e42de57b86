import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";

/** The table side of the operations view: each queue consumer's failure count and last error, `pk = OPS`, `sk = QUEUE#<queue>`. */
const lastErrorKey = (queue: string) => ({ pk: "OPS", sk: `QUEUE#${queue}` });

export interface ConsumerError {
  failures?: number;
  lastError?: string;
  lastErrorAt?: string;
  lastMessageId?: string;
  lastReceiveCount?: string;
}

/** `SET` the last error, `ADD failures 1` (one UpdateItem). */
export async function noteConsumerError(queue: string, messageId: string, receiveCount: string | undefined, error: string, at: Date): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: lastErrorKey(queue),
      UpdateExpression: "SET lastError = :e, lastErrorAt = :at, lastMessageId = :m, lastReceiveCount = :r, #et = :et ADD failures :one",
      ExpressionAttributeNames: { "#et": "_et" },
      ExpressionAttributeValues: { ":e": error.slice(0, 500), ":at": at.toISOString(), ":m": messageId, ":r": receiveCount ?? "?", ":et": "QueueHealth", ":one": 1 },
    }),
  );
}

/** A queue consumer's failure record, if it ever failed (one GetItem). */
export async function consumerError(queue: string): Promise<ConsumerError | undefined> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: lastErrorKey(queue) }))).Item as ConsumerError | undefined;
}
