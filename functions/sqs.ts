import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { logger } from "../core/log.ts";
import { clock } from "../core/clock.ts";
import { recordConsumerError } from "../core/ops/queues.ts";

/**
 * The SQS consumer shape (AWS Powertools batch): every record is processed on its own; a record
 * that throws is reported in `batchItemFailures` and comes back after the visibility timeout (and
 * goes to the DLQ after maxReceiveCount); the others are deleted.
 */
export function sqsConsumer(name: string, handle: (body: any, record: SQSRecord) => Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context: Context) =>
    processPartialResponse(
      event,
      async (record: SQSRecord) => {
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
      },
      processor,
      { context },
    );
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
