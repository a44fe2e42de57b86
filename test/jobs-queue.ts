import { randomUUID } from "node:crypto";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { CreateQueueCommand, DeleteQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { sqsSend } from "../core/sqs.ts";
import { handler } from "../functions/jobs/consume.ts";

/**
 * A test file's own jobs queue and deliveries to the real jobs consumer (functions/jobs/consume.ts),
 * as the unit import's stage tests and the job lease tests use them: the messages a runner sends
 * land in a queue of the file's own (so that no other test's poller takes them), and the test hands
 * each delivery to the consumer as Lambda's event source mapping would.
 */
export interface JobsQueue {
  url: string;
  /** the messages sent to it since the last call (received and deleted) */
  sent(): Promise<unknown[]>;
  /** deletes the queue and gives WANGGE_QUEUE_JOBS_URL back */
  remove(): Promise<void>;
}

/** Creates the queue (`<prefix>-<random>`) on the stack's SQS and points WANGGE_QUEUE_JOBS_URL at it; call after useStackEnv(). */
export async function privateJobsQueue(prefix: string): Promise<JobsQueue> {
  const saved = process.env.WANGGE_QUEUE_JOBS_URL;
  const sqs = new SQSClient({ endpoint: process.env.AWS_ENDPOINT_URL_SQS ?? process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION ?? "us-east-1" });
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${randomUUID().slice(0, 8)}` }))).QueueUrl!;
  process.env.WANGGE_QUEUE_JOBS_URL = url;
  return {
    url,
    async sent() {
      const got = await sqsSend("ReceiveMessage", { QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 30, WaitTimeSeconds: 0 });
      const messages = got.Messages ?? [];
      if (messages.length) await sqsSend("DeleteMessageBatch", { QueueUrl: url, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) });
      return messages.map((m) => JSON.parse(m.Body!));
    },
    async remove() {
      process.env.WANGGE_QUEUE_JOBS_URL = saved;
      await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    },
  };
}

/** One SQS record of the jobs queue carrying `body`, received `receiveCount` times. */
export function jobsRecord(body: object, receiveCount = 1): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body: JSON.stringify(body),
    attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: "0", SenderId: "test", ApproximateFirstReceiveTimestamp: "0" },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:local:000000000000:jobs",
    awsRegion: "local",
  } as SQSRecord;
}

/** One delivery of `body` to the real jobs consumer: its partial batch response (it throws when the record failed). */
export const deliverJob = (body: object, receiveCount = 1) => handler({ Records: [jobsRecord(body, receiveCount)] } as SQSEvent);
