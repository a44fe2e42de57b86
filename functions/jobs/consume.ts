import * as z from "zod/mini";
import { clock, type Clock } from "../../core/clock.ts";
import { XLSX_IMPORT } from "../../core/xlsx/schema.ts";
import { sqsConsumer } from "../sqs.ts";

const Message = z.object({ kind: z.string(), jobId: z.string() });

/**
 * Runners of background jobs by kind; add a kind here with its runner. Each runner's code is loaded
 * when its first job runs (the unit import's readers and proj4, the Excel workbook code, …), so the
 * consumer's cold start reads none of them. The kinds are the runners' own constants (UNIT_IMPORT,
 * UNIT_MOVE, USER_HANDOVER, XLSX_IMPORT), spelled here to keep their modules out of the initial
 * chunks; functions/jobs/consume.test.ts checks they match.
 */
const runners: Record<string, (jobId: string, clock: Clock) => Promise<void>> = {
  "unit-import": async (jobId, clock) => (await import("../../core/unit/import.ts")).runUnitImport(jobId, clock),
  "unit-move": async (jobId, clock) => (await import("../../core/unit/move-job.ts")).runUnitMove(jobId, clock),
  [XLSX_IMPORT]: async (jobId, clock) => (await import("../../core/xlsx/import.ts")).runXlsxImport(jobId, clock),
  "user-handover": async (jobId, clock) => (await import("../../core/user/handover.ts")).runHandover(jobId, clock),
};

/** The kinds of job the queue runs (the console names each: admin/src/ops/messages.*.ts job_kinds). */
export const JOB_KINDS = Object.keys(runners);

/**
 * The `jobs` queue (batch size 1, 15-minute visibility): dispatches each message on `kind`.
 * Runners are idempotent per job (a finished job is skipped, an interrupted one converges when run
 * again). An unknown kind throws, so the message ends in the DLQ for a look.
 */
export const handler = sqsConsumer("jobs", async (body) => {
  const m = Message.parse(body);
  const run = runners[m.kind];
  if (!run) throw new Error(`unknown job kind ${m.kind}`);
  await run(m.jobId, clock);
});
