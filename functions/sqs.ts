import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { logger } from "../core/log.ts";

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
          throw new Error("unparseable message body");
        }
        try {
          await handle(body, record);
        } catch (e) {
          logger.error("record failed", { consumer: name, messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, error: (e as Error).message });
          throw e;
        }
      },
      processor,
      { context },
    );
}
