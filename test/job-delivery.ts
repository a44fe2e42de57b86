/**
 * Delivers one jobs-queue message (argv[2], its JSON body) to the real jobs consumer handler in a
 * process of its own, on the stack the environment names, and prints `RESULT <json>` when done: the
 * lease tests (core/job/lease.test.ts) freeze such a run mid-way (SIGSTOP), as a Lambda that died
 * holding its job, and let it go on later.
 */
import { randomUUID } from "node:crypto";
import type { SQSEvent } from "aws-lambda";
import { handler } from "../functions/jobs/consume.ts";

const body = process.argv[2];
const record = {
  messageId: randomUUID(),
  receiptHandle: randomUUID(),
  body,
  attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "test", ApproximateFirstReceiveTimestamp: "0" },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:local:000000000000:jobs",
  awsRegion: "local",
};
const result = await handler({ Records: [record] } as unknown as SQSEvent).then(
  (ok) => ({ ok }),
  (e) => ({ failed: (e as { recordErrors?: Error[] }).recordErrors?.map((r) => r.name) ?? [(e as Error).name] }),
);
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
process.exit(0);
