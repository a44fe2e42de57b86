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
