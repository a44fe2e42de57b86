import { describe, it, expect, afterEach } from "vitest";
import type { Context, SQSEvent } from "aws-lambda";
import { sqsConsumer } from "../../functions/sqs.ts";
import { consumerCrashes, installConsumerCrashes, installFaultsFromEnv, parseCrashRate } from "../../local/faults.ts";

/** WANGGE_FAULTS_CRASH_CONSUMER: consumer invocations that die half-way through their batch. */
const event = (n: number): SQSEvent => ({
  Records: Array.from({ length: n }, (_, i) => ({
    messageId: `m${i}`,
    receiptHandle: `r${i}`,
    body: JSON.stringify({ i }),
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "x", ApproximateFirstReceiveTimestamp: "0" },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:q",
    awsRegion: "us-east-1",
  })),
});
const context = {} as Context;

afterEach(() => installConsumerCrashes(0));

describe("consumer crash injection", () => {
  it("processes a prefix of the batch, then fails the whole invocation (every record comes back)", async () => {
    const seen: number[] = [];
    const consume = sqsConsumer("test", async (body) => void seen.push(body.i));
    const draws = [0, 0.5]; // crash this invocation; at record 5 of 10
    let k = 0;
    installConsumerCrashes(1, () => draws[k++]);
    const before = consumerCrashes.crashed;
    await expect(consume(event(10), context)).rejects.toThrow(/Injected consumer crash .* after 5 of 10 records/);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(consumerCrashes.crashed).toBe(before + 1);
  });

  it("leaves invocations alone when the draw is above the rate, and entirely when uninstalled", async () => {
    const seen: number[] = [];
    const consume = sqsConsumer("test", async (body) => void seen.push(body.i));
    installConsumerCrashes(0.05, () => 0.5);
    expect(await consume(event(3), context)).toEqual({ batchItemFailures: [] });
    installConsumerCrashes(0);
    expect(await consume(event(2), context)).toEqual({ batchItemFailures: [] });
    expect(seen.sort()).toEqual([0, 0, 1, 1, 2]);
  });

  it("still reports a failing record as a partial batch failure, not a crash", async () => {
    const consume = sqsConsumer("test", async (body) => {
      if (body.i === 1) throw new Error("bad record");
    });
    installConsumerCrashes(0.05, () => 0.9);
    expect(await consume(event(3), context)).toEqual({ batchItemFailures: [{ itemIdentifier: "m1" }] });
  });

  it("reads both flags and refuses malformed values", () => {
    expect(installFaultsFromEnv({ WANGGE_FAULTS: "dynamodb:0.05,sqs:0.05,s3:0.05,dynamodb-lost:0.02", WANGGE_FAULTS_CRASH_CONSUMER: "0.05" })).toEqual({
      sdk: { dynamodb: 0.05, sqs: 0.05, s3: 0.05, "dynamodb-lost": 0.02 },
      crashConsumer: 0.05,
      seed: expect.any(Number),
    });
    expect(installFaultsFromEnv({})).toEqual({ sdk: {}, crashConsumer: 0, seed: expect.any(Number) });
    expect(() => parseCrashRate("lots")).toThrow(/\[0, 1\]/);
    expect(() => installFaultsFromEnv({ WANGGE_FAULTS: "dynamodb=0.1" })).toThrow();
  });
});
