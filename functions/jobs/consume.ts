import * as z from "zod/mini";
import { clock, type Clock } from "../../core/clock.ts";
import { runUnitImport, UNIT_IMPORT } from "../../core/unit/import.ts";
import { runUnitMove, UNIT_MOVE } from "../../core/unit/move-job.ts";
import { XLSX_IMPORT } from "../../core/xlsx/schema.ts";
import { runHandover, USER_HANDOVER } from "../../core/user/handover.ts";
import { sqsConsumer } from "../sqs.ts";

const Message = z.object({ kind: z.string(), jobId: z.string() });

/** Runners of background jobs by kind; add a kind here with its runner. */
const runners: Record<string, (jobId: string, clock: Clock) => Promise<void>> = {
  [UNIT_IMPORT]: runUnitImport,
  [UNIT_MOVE]: (jobId, clock) => runUnitMove(jobId, clock),
  // Excel imports load their code (and exceljs) only when such a job runs
  [XLSX_IMPORT]: async (jobId, clock) => (await import("../../core/xlsx/import.ts")).runXlsxImport(jobId, clock),
  [USER_HANDOVER]: (jobId, clock) => runHandover(jobId, clock),
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
