import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { useStackEnv } from "../test/client.ts";
import { batchesOf } from "../test/batch-recorder.ts";
import { queues } from "../functions/queues.ts";
import { startPoller } from "./poller.ts";

/**
 * The local poller gathers a batch above 10 messages from several ReceiveMessage calls (SQS gives at
 * most 10 a call), as Lambda's poller does within its batching window (#16: events 100, timeouts 25),
 * and deletes what succeeded. Queues of this file's own on the stack's fauxqs, consumed by a recorder
 * (test/batch-recorder.ts) with the real queues' batch sizes.
 */
let sqs: SQSClient;
const made: string[] = [];

beforeAll(() => {
  useStackEnv();
  sqs = new SQSClient({ endpoint: process.env.AWS_ENDPOINT_URL_SQS, region: process.env.AWS_REGION, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
});

afterAll(async () => {
  for (const url of made) await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined); // cleanup
  sqs?.destroy();
});

/** A queue of `count` messages (sent before any poller runs), consumed with queue `like`'s batch size; the batches it got. */
async function drain(like: string, count: number): Promise<{ batches: number[]; bodies: string[]; left: number }> {
  const def = queues.find((q) => q.name === like)!;
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: `poller-${like}-${process.pid}-${Date.now()}`, Attributes: { VisibilityTimeout: String(def.visibilityTimeoutSeconds) } }))).QueueUrl!;
  made.push(url);
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  for (let i = 0; i < count; i += 10) {
    const entries = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({ Id: String(j), MessageBody: String(i + j) }));
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
    expect(out.Failed ?? []).toEqual([]);
  }
  // one receiver: each batch is one invocation's, in order
  const poller = startPoller(sqs, [{ ...def, consumer: "test/batch-recorder.handler", url, arn }], process.env.AWS_REGION!, { concurrency: 1 });
  try {
    await poller.idle(30_000);
  } finally {
    await poller.stop();
  }
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }))).Attributes ?? {};
  const got = batchesOf(arn);
  return { batches: got.map((b) => b.length), bodies: got.flat(), left: Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) };
}

const every = (n: number) => Array.from({ length: n }, (_, i) => String(i)).sort();

describe("the local poller's batches above 10", () => {
  // the gathering stops at the 1 s batching window: on a loaded machine a batch may close before it is full,
  // so the exact split is not asserted, only that a batch goes past SQS's 10 a receive and never past the batch size
  it("gives the events consumer 100 waiting messages in batches above 10 (one of 100 when the receives keep up), and deletes them all", async () => {
    expect(queues.find((q) => q.name === "events")!.batchSize).toBe(100);
    const out = await drain("events", 100);
    expect(out.batches[0]).toBeGreaterThan(10);
    expect(Math.max(...out.batches)).toBeLessThanOrEqual(100);
    expect([...out.bodies].sort()).toEqual(every(100));
    expect(out.left).toBe(0);
  });

  it("gives the timeouts consumer batches above 10 and of at most 25: 30 waiting messages as 25 and 5 when the receives keep up", async () => {
    expect(queues.find((q) => q.name === "timeouts")!.batchSize).toBe(25);
    const out = await drain("timeouts", 30);
    expect(out.batches[0]).toBeGreaterThan(10);
    expect(Math.max(...out.batches)).toBeLessThanOrEqual(25);
    expect([...out.bodies].sort()).toEqual(every(30));
    expect(out.left).toBe(0);
  });
});
