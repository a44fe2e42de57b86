import { sqsSend } from "../sqs.ts";
import { consumerError, noteConsumerError } from "./repo.ts";
import { dlqEnvName, queues, queueEnvName } from "../../functions/queues.ts";

/** Remember a consumer's last failure (best effort: never fails the consumer more). */
export async function recordConsumerError(queue: string, messageId: string, receiveCount: string | undefined, error: string, at: Date): Promise<void> {
  await noteConsumerError(queue, messageId, receiveCount, error, at).catch(() => undefined);
}


async function depth(url: string | undefined) {
  if (!url) return null;
  const out = await sqsSend("GetQueueAttributes", { QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"] });
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
        consumerError(q.name),
      ]);
      const l = last;
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
