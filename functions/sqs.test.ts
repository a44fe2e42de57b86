import { beforeAll, describe, expect, it } from "vitest";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { useStackEnv } from "../test/client.ts";
import { sqsConsumer } from "./sqs.ts";

/**
 * functions/sqs.ts `sqsConsumer` against the AWS Powertools batch processing it replaces
 * (`BatchProcessor(EventType.SQS)` + `processPartialResponse`, a devDependency, for this test only),
 * built around the same record handler and given the same batches: the same answer (failed ids as
 * `batchItemFailures`), or the same error (FullBatchFailureError when every record failed, the
 * error for an event without Records), and the records handled in parallel. The consumers' own
 * tests (functions/{jobs,appraisals,exports,webhooks}/*.test.ts) run them through it on the stack.
 */

beforeAll(() => useStackEnv());

const record = (i: number, body = JSON.stringify({ i })): SQSRecord => ({
  messageId: `m${i}`,
  receiptHandle: `r${i}`,
  body,
  attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "x", ApproximateFirstReceiveTimestamp: "0" },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:cn-north-1:000000000000:q",
  awsRegion: "cn-north-1",
});
const context = {} as Context;

/** Powertools' consumer as functions/sqs.ts built it until 2026-12-05, around the same record handling. */
function powertoolsConsumer(handle: (body: any, record: SQSRecord) => Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  return (event: SQSEvent) =>
    processPartialResponse(
      event,
      async (r: SQSRecord) => {
        let body: unknown;
        try {
          body = JSON.parse(r.body);
        } catch {
          throw new Error("unparseable message body");
        }
        await handle(body, r);
      },
      processor,
      { context },
    );
}

async function outcome(run: () => Promise<unknown>) {
  try {
    return { ok: await run() };
  } catch (e) {
    const err = e as Error & { recordErrors?: Error[] };
    return { name: err.name, message: err.message, recordErrors: err.recordErrors?.map((r) => r.message) };
  }
}

describe("sqsConsumer against Powertools' batch processing", () => {
  it("answers each batch as Powertools does: none failed, some failed, an unparseable body, all failed, one record failed, empty, no Records", async () => {
    // records whose i is in `bad` throw
    const handler = (bad: number[]) => async (body: { i: number }) => {
      await new Promise((r) => setTimeout(r, 1));
      if (bad.includes(body.i)) throw new Error(`record ${body.i} refused`);
    };
    const batches: Array<[string, SQSEvent, number[]]> = [
      ["all handled", { Records: [0, 1, 2].map((i) => record(i)) }, []],
      ["two of four failed", { Records: [0, 1, 2, 3].map((i) => record(i)) }, [1, 2]],
      ["an unparseable body", { Records: [record(0), record(1, "{not json"), record(2)] }, []],
      ["every record failed", { Records: [0, 1, 2].map((i) => record(i)) }, [0, 1, 2]],
      ["a batch of one that failed", { Records: [record(4)] }, [4]],
      ["an empty batch", { Records: [] }, []],
      ["no Records", {} as SQSEvent, []],
    ];
    const results: Record<string, unknown> = {};
    for (const [label, event, bad] of batches) {
      const theirs = await outcome(() => powertoolsConsumer(handler(bad))(event));
      const mine = await outcome(() => sqsConsumer("test", handler(bad))(event, context));
      expect(mine, label).toEqual(theirs);
      results[label] = mine;
    }
    // spelled out, so the comparison is not of two equal mistakes
    expect(results).toEqual({
      "all handled": { ok: { batchItemFailures: [] } },
      "two of four failed": { ok: { batchItemFailures: [{ itemIdentifier: "m1" }, { itemIdentifier: "m2" }] } },
      "an unparseable body": { ok: { batchItemFailures: [{ itemIdentifier: "m1" }] } },
      "every record failed": { name: "FullBatchFailureError", message: "All records failed processing. See individual errors below.", recordErrors: ["record 0 refused", "record 1 refused", "record 2 refused"] },
      "a batch of one that failed": { name: "FullBatchFailureError", message: "All records failed processing. See individual errors below.", recordErrors: ["record 4 refused"] },
      "an empty batch": { ok: { batchItemFailures: [] } },
      "no Records": { name: "UnexpectedBatchTypeError", message: "Unexpected batch type. Possible values are: SQS, KinesisDataStreams, DynamoDBStreams", recordErrors: undefined },
    });
  });

  it("reports the same failures when they complete out of order (Powertools lists them as they complete, ours in the batch's order; Lambda reads a set)", async () => {
    const handler = async (body: { i: number }) => {
      await new Promise((r) => setTimeout(r, (5 - body.i) * 10));
      if (body.i % 2 === 1) throw new Error("odd");
    };
    const event = { Records: [0, 1, 2, 3, 4].map((i) => record(i)) };
    const theirs = await powertoolsConsumer(handler)(event);
    const mine = await sqsConsumer("test", handler)(event, context);
    expect(theirs).toEqual({ batchItemFailures: [{ itemIdentifier: "m3" }, { itemIdentifier: "m1" }] });
    expect(mine).toEqual({ batchItemFailures: [{ itemIdentifier: "m1" }, { itemIdentifier: "m3" }] });
  });

  it("handles the records in parallel, as Powertools does: each record waits until every record has started", async () => {
    for (const make of [(h: () => Promise<void>) => (e: SQSEvent) => sqsConsumer("test", h)(e, context), (h: () => Promise<void>) => powertoolsConsumer(h)]) {
      let started = 0;
      let release!: () => void;
      const all = new Promise<void>((r) => (release = r));
      const h = async () => {
        if (++started === 3) release();
        await Promise.race([all, new Promise((_, no) => setTimeout(() => no(new Error("records handled one by one")), 2000))]);
      };
      expect(await make(h)({ Records: [0, 1, 2].map((i) => record(i)) })).toEqual({ batchItemFailures: [] });
      expect(started).toBe(3);
    }
  });
});
