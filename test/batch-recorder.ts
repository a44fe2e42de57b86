import type { SQSEvent } from "aws-lambda";

/**
 * A queue consumer for the local poller's tests (local/poller-batches.test.ts): records the message
 * bodies of every batch it is given, by queue ARN (on globalThis: the poller loads this module by its
 * path, as it loads any consumer), and answers that every record succeeded.
 */
export async function handler(event: SQSEvent): Promise<{ batchItemFailures: [] }> {
  const seen = ((globalThis as { __pollerBatches?: Map<string, string[][]> }).__pollerBatches ??= new Map());
  const arn = event.Records[0]?.eventSourceARN ?? "";
  seen.set(arn, [...(seen.get(arn) ?? []), event.Records.map((r) => r.body)]);
  return { batchItemFailures: [] };
}

/** The batches recorded for a queue ARN. */
export const batchesOf = (arn: string): string[][] => (globalThis as { __pollerBatches?: Map<string, string[][]> }).__pollerBatches?.get(arn) ?? [];
