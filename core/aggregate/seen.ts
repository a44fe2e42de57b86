/**
 * Events messages that may have been handled before (#16 upgrade): the counters' transaction of such
 * a message also checks that no `DONE#agg#<id>` mark is there (core/aggregate/repo.ts
 * writeCountersOnce), because the consumer before #16 counted an event with that mark and deleted its
 * outbox row only after it; a consumer that died in between left the row, which alone would let the
 * new consumer count the event again (docs/async.md "Exactly-once effects"). No imports: the outbox
 * sweep and the redrive route stamp the attribute, the events consumer reads it.
 */

/** Message attribute stamped on a copy sent again: "sweep" (core/outbox/publish.ts sweepOutbox) or "redrive" (core/ops/redrive.ts). */
export const REPUBLISHED = "republished";

/** The attribute as SendMessage(Batch) takes it. */
export const republishedAttribute = (by: "sweep" | "redrive") => ({ [REPUBLISHED]: { DataType: "String", StringValue: by } });

/** The parts of a Lambda SQS record this looks at. */
export interface SeenRecord {
  attributes?: { ApproximateReceiveCount?: string };
  messageAttributes?: Record<string, { stringValue?: string } | undefined>;
}

/** True when the message was received before (ApproximateReceiveCount > 1) or is a copy sent again. */
export function maySeenBefore(record: SeenRecord): boolean {
  return Number(record.attributes?.ApproximateReceiveCount ?? "1") > 1 || record.messageAttributes?.[REPUBLISHED] !== undefined;
}
