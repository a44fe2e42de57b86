import * as z from "zod/mini";
import { clock } from "../../core/clock.ts";
import { logger } from "../../core/log.ts";
import { applyTimeouts } from "../../core/case/timeouts.ts";
import type { TimeoutMessage } from "../../core/timer/sweep.ts";
import { sqsBatchConsumer } from "../sqs.ts";
import { recordConsumerError } from "../../core/ops/queues.ts";
import type { SQSRecord } from "aws-lambda";

const Message = z.object({ caseId: z.string(), stage: z.string(), dueAt: z.string(), version: z.optional(z.number()) });

/**
 * Applies the due timers of a batch through the same decide + conditional write as any action
 * (core/case/timeouts.ts): one read of the batch's cases, their decisions written together. A timer
 * fired twice, late, or after the case moved on changes nothing: the case's current timer no longer
 * matches, so the message is acknowledged and any leftover row of that stale timer is removed.
 */
export const handler = sqsBatchConsumer<unknown>("timeouts", async (items) => {
  const failed = new Set<SQSRecord>();
  const ok: Array<{ m: TimeoutMessage; record: SQSRecord }> = [];
  for (const { body, record } of items) {
    const m = Message.safeParse(body);
    if (m.success) ok.push({ m: m.data, record });
    else {
      logger.error("record failed", { consumer: "timeouts", messageId: record.messageId, error: "not a timeout message" });
      await recordConsumerError("timeouts", record.messageId, record.attributes?.ApproximateReceiveCount, "not a timeout message", clock.now());
      failed.add(record);
    }
  }
  const refused = await applyTimeouts(ok.map((x) => x.m), clock.now());
  for (const x of ok) if (refused.has(x.m)) failed.add(x.record);
  return failed;
});
