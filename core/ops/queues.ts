import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { sqs } from "../aws.ts";
import { db, tableName } from "../db/client.ts";
import { dlqEnvName, queues, queueEnvName } from "../../functions/queues.ts";

const lastErrorKey = (queue: string) => ({ pk: "OPS", sk: `QUEUE#${queue}` });

/** Remember a consumer's last failure (best effort: never fails the consumer more). */
export async function recordConsumerError(queue: string, messageId: string, receiveCount: string | undefined, error: string, at: Date): Promise<void> {
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: lastErrorKey(queue),
        UpdateExpression: "SET lastError = :e, lastErrorAt = :at, lastMessageId = :m, lastReceiveCount = :r, #et = :et ADD failures :one",
        ExpressionAttributeNames: { "#et": "_et" },
        ExpressionAttributeValues: { ":e": error.slice(0, 500), ":at": at.toISOString(), ":m": messageId, ":r": receiveCount ?? "?", ":et": "QueueHealth", ":one": 1 },
      }),
    )
    .catch(() => undefined);
}


async function depth(url: string | undefined) {
  if (!url) return null;
  const { GetQueueAttributesCommand } = await import("@aws-sdk/client-sqs");
  const out = await (await sqs()).send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"] }),
  );
  const a = out.Attributes ?? {};
  return { visible: Number(a.ApproximateNumberOfMessages ?? 0), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0), delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0) };
}

/** Every queue with its depth, its dead-letter queue's depth, and the consumer's last error. */
export async function queueHealth() {
  return Promise.all(
    queues.map(async (q) => {
      const [main, dlq, last] = await Promise.all([
        depth(process.env[queueEnvName(q.name)]),
        depth(process.env[dlqEnvName(q.name)]),
        db().send(new GetCommand({ TableName: tableName(), Key: lastErrorKey(q.name) })),
      ]);
      const l = last.Item;
      return {
        queue: q.name,
        main,
        deadLetters: dlq?.visible ?? null,
        failures: (l?.failures as number | undefined) ?? 0,
        lastError: l ? { message: l.lastError, at: l.lastErrorAt, messageId: l.lastMessageId, receiveCount: l.lastReceiveCount } : null,
      };
    }),
  );
}
