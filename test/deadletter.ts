/**
 * Putting a message into a queue's dead-letter queue for real, on the embedded stack: the stack's
 * consumer of that queue is paused (`/_local/queues/{name}/pause`), the message is sent to the
 * queue and received without being deleted until SQS (fauxqs) moves it to the DLQ after
 * `maxReceiveCount` receives, exactly as a consumer that keeps failing would make it happen.
 */
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, DeleteMessageCommand } from "@aws-sdk/client-sqs";
import { testSqs } from "./sqs-client.ts";
import { dlqEnvName, queueEnvName, queues } from "../functions/queues.ts";
import { call, useStackEnv } from "./client.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function pauseConsumer(queue: string, paused: boolean): Promise<void> {
  const r = await call("POST", `/_local/queues/${queue}/pause`, { body: { paused } });
  if (r.status !== 200) throw new Error(`pause ${queue}: ${r.status} ${JSON.stringify(r.body)}`);
  // a long poll already under way (1 s) may still take a message: let it end
  if (paused) await sleep(1_300);
}

export async function dlqDepth(queue: string): Promise<number> {
  useStackEnv();
  const out = await testSqs().send(new GetQueueAttributesCommand({ QueueUrl: process.env[dlqEnvName(queue)]!, AttributeNames: ["ApproximateNumberOfMessages"] }));
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0);
}

/** Send `body` to `queue` (its consumer paused by the caller) and fail it until it is dead-lettered. */
export async function deadLetter(queue: string, body: string): Promise<void> {
  useStackEnv();
  const def = queues.find((q) => q.name === queue)!;
  const url = process.env[queueEnvName(queue)]!;
  const before = await dlqDepth(queue);
  await testSqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
  for (let i = 0; i < def.maxReceiveCount + 5; i++) {
    // received and not deleted: visible again at once (a failed delivery with no visibility wait)
    await testSqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
    if ((await dlqDepth(queue)) > before) return;
  }
  throw new Error(`message on ${queue} did not reach its DLQ`);
}

/** Receive from `queue` until the message with `body` arrives; delete it; its body, or undefined after `tries`. */
export async function takeFromQueue(queue: string, body: string, tries = 20): Promise<string | undefined> {
  useStackEnv();
  const url = process.env[queueEnvName(queue)]!;
  for (let i = 0; i < tries; i++) {
    const out = await testSqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
    const hit = (out.Messages ?? []).find((m) => m.Body === body);
    if (hit) {
      await testSqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: hit.ReceiptHandle! }));
      return hit.Body;
    }
    await sleep(100);
  }
  return undefined;
}
