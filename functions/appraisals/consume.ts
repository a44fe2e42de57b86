import * as z from "zod/mini";
import { clock } from "../../core/clock.ts";
import { logger } from "../../core/log.ts";
import { processBatch, type BatchMessage } from "../../core/appraisal/run.ts";
import { sqsConsumer } from "../sqs.ts";

const Message = z.object({
  kind: z.literal("batch"),
  period: z.string().check(z.regex(/^\d{4}-\d{2}$/)),
  runId: z.string().check(z.minLength(1)),
  batch: z.string().check(z.minLength(1)),
  subject: z.enum(["unit", "department", "worker"]),
  members: z.array(z.looseObject({ subject: z.enum(["unit", "department", "worker"]), id: z.string() })),
});

/**
 * One batch of a monthly appraisal run: compute and write the batch's results from the month's
 * aggregates; the last batch finalizes the run. A batch of a superseded run is acknowledged
 * without writing; a failure comes back after the visibility timeout (DLQ after 3 receives).
 */
export const handler = sqsConsumer("appraisal", async (body) => {
  const m = Message.parse(body) as BatchMessage;
  const stats = await processBatch(m, clock.now());
  logger.info("appraisal batch", { period: m.period, runId: m.runId, batch: m.batch, ...stats });
});
