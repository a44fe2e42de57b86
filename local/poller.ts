import { type Message, SQSClient, ReceiveMessageCommand, ChangeMessageVisibilityCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord, SQSBatchResponse } from "aws-lambda";
import { randomUUID } from "node:crypto";
import type { QueueDef } from "../functions/queues.ts";
import { loadHandler } from "./handlers.ts";
import { lambdaContext } from "./api-server.ts";

/** Lambda's batching window for batches above 10 messages (stacks/Queues.ts sets the same). */
const BATCHING_WINDOW_MS = 1_000;

export interface Poller {
  stop(): Promise<void>;
  /** Wait until every queue has no visible, delayed or in-flight message and no batch is running. */
  idle(timeoutMs?: number): Promise<void>;
  stats(): Record<string, { batches: number; records: number; failures: number; lastError?: string }>;
  /** Stop (true) or restart (false) receiving from one queue, as when its event-source mapping is disabled (tests that dead-letter a message by hand). */
  pause(queue: string, paused: boolean): void;
  /**
   * Wait until no receiver of a paused queue is inside a receive (a long poll started before the pause
   * could still take a message and hand it back, which counts as a receive: ApproximateReceiveCount 2
   * on its real delivery, as a redelivery would be).
   */
  settled(): Promise<void>;
}

/**
 * Emulates Lambda's SQS event-source mapping: long-polls each queue, invokes the same consumer
 * with a real SQSEvent batch, deletes the records that succeeded (honouring batchItemFailures),
 * and leaves the rest to reappear after the visibility timeout, so redrive to the DLQ happens as in AWS.
 */
export function startPoller(sqs: SQSClient, defs: Array<QueueDef & { url: string; arn: string }>, region: string, opts: { concurrency?: number } = {}): Poller {
  let running = true;
  let busy = 0;
  const paused = new Set<string>();
  const receiving = new Map<string, number>();
  const stats: ReturnType<Poller["stats"]> = {};
  // like Lambda scaling out per queue: several receivers (concurrent invocations) per queue — five, as
  // an SQS event-source mapping starts with five concurrent batches (it scales out further while messages
  // wait; the deployed mappings set no maximum concurrency: stacks/Queues.ts)
  const receivers = defs.flatMap((def) => Array.from({ length: opts.concurrency ?? 5 }, () => def));
  for (const def of defs) stats[def.name] = { batches: 0, records: 0, failures: 0 };
  const loops = receivers.map(async (def) => {
    while (running) {
      if (paused.has(def.name)) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      try {
        receiving.set(def.name, (receiving.get(def.name) ?? 0) + 1);
        let messages: Message[];
        try {
          messages = await receiveBatch(def);
        } finally {
          receiving.set(def.name, receiving.get(def.name)! - 1);
        }
        if (!messages.length || !running) continue;
        busy++;
        try {
          await invoke(def, messages);
        } finally {
          busy--;
        }
      } catch (e) {
        if (running) {
          stats[def.name].lastError = (e as Error).message;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
  });

  /** One batch as Lambda's poller takes it ([] when none came, or when the queue was paused meanwhile). */
  async function receiveBatch(def: QueueDef & { url: string; arn: string }): Promise<Message[]> {
    const receive = async (wait: number, max: number) =>
      (
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: def.url,
            MaxNumberOfMessages: Math.min(max, 10),
            WaitTimeSeconds: wait,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
        )
      ).Messages ?? [];
    const messages = await receive(1, def.batchSize);
    if (!messages.length || !running) return messages;
    // a batch above 10 (SQS gives at most 10 a receive): as Lambda's poller, gather more from further
    // receives within the batching window (1 s, stacks/Queues.ts). Unlike Lambda it stops at the first
    // empty receive instead of waiting the window out: a lone message is not held back locally
    const windowEnds = Date.now() + BATCHING_WINDOW_MS;
    while (messages.length < def.batchSize && Date.now() < windowEnds && running && !paused.has(def.name)) {
      const more = await receive(0, def.batchSize - messages.length);
      if (!more.length) break;
      messages.push(...more);
    }
    if (paused.has(def.name)) {
      // paused while this receive was waiting: hand the messages back untouched
      await Promise.all(messages.map((m) => sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: def.url, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }))));
      return [];
    }
    return messages;
  }

  async function invoke(def: QueueDef & { url: string; arn: string }, messages: Message[]) {
    const records: SQSRecord[] = messages.map((m: any) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body ?? "",
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? "1",
        SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
        SenderId: m.Attributes?.SenderId ?? "local",
        ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).map(([k, v]: [string, any]) => [
          k,
          { stringValue: v.StringValue, dataType: v.DataType, stringListValues: [], binaryListValues: [] },
        ]),
      ),
      md5OfBody: m.MD5OfBody ?? "",
      eventSource: "aws:sqs",
      eventSourceARN: def.arn,
      awsRegion: region,
    }));
    const event: SQSEvent = { Records: records };
    const s = stats[def.name];
    s.batches++;
    s.records += records.length;
    let failed = new Set<string>();
    try {
      const fn = await loadHandler(def.consumer);
      const res = (await fn(event, lambdaContext(randomUUID()))) as SQSBatchResponse | undefined;
      failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (e) {
      // the whole batch failed, as when a Lambda invocation throws
      failed = new Set(records.map((r) => r.messageId));
      s.lastError = (e as Error).message;
    }
    s.failures += failed.size;
    const done = records.filter((r) => !failed.has(r.messageId));
    // as Lambda's poller: the succeeded records deleted, ten to a request (SQS's limit)
    for (let i = 0; i < done.length; i += 10) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: def.url,
          Entries: done.slice(i, i + 10).map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
        }),
      );
    }
  }

  async function queueEmpty(url: string): Promise<boolean> {
    const a = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
      }),
    );
    const at = a.Attributes ?? {};
    return (
      Number(at.ApproximateNumberOfMessages ?? 0) + Number(at.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(at.ApproximateNumberOfMessagesDelayed ?? 0) === 0
    );
  }

  return {
    async stop() {
      running = false;
      await Promise.allSettled(loops);
    },
    async idle(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      let calm = 0;
      while (Date.now() < until) {
        const empty = busy === 0 && (await Promise.all(defs.map((d) => queueEmpty(d.url)))).every(Boolean);
        calm = empty ? calm + 1 : 0;
        if (calm >= 2) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("queues did not drain in time");
    },
    stats: () => stats,
    pause(queue, on) {
      if (on) paused.add(queue);
      else paused.delete(queue);
    },
    async settled() {
      while ([...paused].some((q) => (receiving.get(q) ?? 0) > 0)) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
