import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { logger } from "../core/log.ts";
import { clock } from "../core/clock.ts";
import { recordConsumerError } from "../core/ops/queues.ts";

/**
 * Every record of a batch failed (Powertools' `FullBatchFailureError`): the invocation fails, so
 * the whole batch comes back after the visibility timeout instead of being reported record by record.
 */
export class FullBatchFailureError extends Error {
  readonly recordErrors: unknown[];
  constructor(errors: unknown[]) {
    super("All records failed processing. See individual errors below.");
    this.name = "FullBatchFailureError";
    this.recordErrors = errors;
  }
}

/**
 * The SQS consumer shape, with the semantics of AWS Powertools' `BatchProcessor(EventType.SQS)` +
 * `processPartialResponse`, which it replaces (2026-12-05: about 6 KB of every consumer's initial
 * chunks; functions/sqs.test.ts runs both on the same batches): the records are processed in
 * parallel, each on its own; a record that throws is reported in `batchItemFailures` (in the
 * batch's order) and comes back after the visibility timeout (and goes to the DLQ after
 * maxReceiveCount), the others are deleted; when every record of a non-empty batch failed the
 * invocation throws FullBatchFailureError; an empty batch answers no failures; an event without a
 * `Records` array throws (UnexpectedBatchTypeError).
 */
export function sqsConsumer(name: string, handle: (body: any, record: SQSRecord) => Promise<void>) {
  const processRecord = async (record: SQSRecord) => {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      logger.error("unparseable message", { consumer: name, messageId: record.messageId });
      await recordConsumerError(name, record.messageId, record.attributes?.ApproximateReceiveCount, "unparseable message body", clock.now());
      throw new Error("unparseable message body");
    }
    try {
      await handle(body, record);
    } catch (e) {
      logger.error("record failed", { consumer: name, messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, error: (e as Error).message });
      await recordConsumerError(name, record.messageId, record.attributes?.ApproximateReceiveCount, (e as Error).message, clock.now());
      throw e;
    }
  };
  return async (event: SQSEvent, _context?: Context): Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }> => {
    if (!Array.isArray(event?.Records)) throw Object.assign(new Error("Unexpected batch type. Possible values are: SQS, KinesisDataStreams, DynamoDBStreams"), { name: "UnexpectedBatchTypeError" });
    const records = event.Records;
    const crashAt = batchCrash.at?.(records.length);
    if (crashAt !== undefined) {
      // the reliability tests' crash (local/faults.ts): a prefix handled one by one, then the invocation dies
      for (const record of records.slice(0, crashAt)) await processRecord(record).catch(() => undefined);
      throw new Error(`Injected consumer crash (WANGGE_FAULTS_CRASH_CONSUMER) after ${crashAt} of ${records.length} records`);
    }
    const settled = await Promise.allSettled(records.map(processRecord));
    const failed = records.filter((_, i) => settled[i].status === "rejected");
    if (failed.length > 0 && failed.length === records.length) throw new FullBatchFailureError(settled.map((s) => (s as PromiseRejectedResult).reason));
    return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
  };
}

/**
 * A consumer that handles its batch as a whole (#16: one read and one write for many records):
 * every record's body is parsed first (an unparseable one is reported alone), then `handle` gets
 * the parsed bodies and answers which of them failed; if it throws, every parsed record of the
 * batch failed (they come back after the visibility timeout and go to the DLQ after
 * maxReceiveCount). The answer is Lambda's partial batch response.
 */
/**
 * Crash injection for whole-batch consumers (local/faults.ts, reliability tests only): answers, per
 * invocation, after how many records the invocation dies (undefined: it does not). The records
 * before that point are handled (their side effects happen), then the invocation throws, as a
 * Lambda that dies half-way through its batch.
 */
export const batchCrash: { at?: (records: number) => number | undefined } = {};

export function sqsBatchConsumer<T>(name: string, handle: (items: Array<{ body: T; record: SQSRecord }>) => Promise<Set<SQSRecord>>) {
  return async (event: SQSEvent, _context?: Context): Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }> => {
    const failed = new Set<SQSRecord>();
    const items: Array<{ body: T; record: SQSRecord }> = [];
    for (const record of event.Records) {
      try {
        items.push({ body: JSON.parse(record.body) as T, record });
      } catch {
        logger.error("unparseable message", { consumer: name, messageId: record.messageId });
        await recordConsumerError(name, record.messageId, record.attributes?.ApproximateReceiveCount, "unparseable message body", clock.now());
        failed.add(record);
      }
    }
    const crashAt = batchCrash.at?.(items.length);
    if (crashAt !== undefined) {
      if (crashAt > 0) await handle(items.slice(0, crashAt));
      throw new Error(`Injected consumer crash after ${crashAt} of ${items.length} records`);
    }
    if (items.length) {
      try {
        for (const r of await handle(items)) failed.add(r);
      } catch (e) {
        const first = items[0].record;
        logger.error("batch failed", { consumer: name, records: items.length, receiveCount: first.attributes?.ApproximateReceiveCount, error: (e as Error).message });
        await recordConsumerError(name, first.messageId, first.attributes?.ApproximateReceiveCount, (e as Error).message, clock.now());
        for (const it of items) failed.add(it.record);
      }
    }
    return { batchItemFailures: [...failed].map((r) => ({ itemIdentifier: r.messageId })) };
  };
}
