import * as z from "zod/mini";
import { clock, type Clock } from "../../core/clock.ts";
import { XLSX_IMPORT } from "../../core/xlsx/schema.ts";
import { sqsConsumer } from "../sqs.ts";

const Message = z.object({ kind: z.string(), jobId: z.string(), list: z.optional(z.string()), stage: z.optional(z.string()) });

type Run = (jobId: string, clock: Clock) => Promise<void>;

/**
 * The Excel import's runner by workbook family (the message's `list`; read from the job when a
 * message has none): each family its own lazy module, so a container loads only the writes of the
 * families it ran (staff, which alone loads the account writes and the open-work check; departments
 * and categories; the registry's households and people, which alone load the registry's sealing;
 * the unit tree). Each runner refuses a list of another family.
 */
export const XLSX_RUNNERS: Record<string, () => Promise<Run>> = {
  staff: async () => (await import("../../core/xlsx/import-staff.ts")).runStaffImport,
  departments: async () => (await import("../../core/xlsx/import.ts")).runXlsxImport,
  categories: async () => (await import("../../core/xlsx/import.ts")).runXlsxImport,
  households: async () => (await import("../../core/xlsx/import-registry.ts")).runRegistryImport,
  people: async () => (await import("../../core/xlsx/import-registry.ts")).runRegistryImport,
  units: async () => (await import("../../core/xlsx/import-units.ts")).runUnitsImport,
};

async function runXlsx(jobId: string, clock: Clock, list: string | undefined): Promise<void> {
  const l = list ?? (await (await import("../../core/xlsx/import-list.ts")).xlsxListOf(jobId));
  // a job not found (or of no known list) goes to the lists' runner, which logs a missing job and refuses a wrong list
  await (await (XLSX_RUNNERS[l ?? "staff"] ?? XLSX_RUNNERS.staff)())(jobId, clock);
}

/**
 * The unit import's runner by stage (the message's `stage`; none = "read", as messages before the
 * stages were): each stage its own lazy module, so a container loads the readers and proj4 only to
 * read a file and polyclip-ts and the unit writes only to apply one (core/unit/import-read.ts,
 * core/unit/import-apply.ts). An unknown stage throws (the message ends in the DLQ).
 */
export const UNIT_IMPORT_STAGES: Record<string, () => Promise<Run>> = {
  read: async () => (await import("../../core/unit/import-read.ts")).runUnitImportRead,
  apply: async () => (await import("../../core/unit/import-apply.ts")).runUnitImportApply,
};

async function runUnitImport(jobId: string, clock: Clock, stage: string | undefined): Promise<void> {
  const load = UNIT_IMPORT_STAGES[stage ?? "read"];
  if (!load) throw new Error(`unknown unit-import stage ${stage}`);
  await (await load())(jobId, clock);
}

/**
 * Runners of background jobs by kind; add a kind here with its runner. Each runner's code is loaded
 * when its first job runs (the unit import's readers and proj4, the Excel workbook code, …), so the
 * consumer's cold start reads none of them. The kinds are the runners' own constants (UNIT_IMPORT,
 * UNIT_MOVE, USER_HANDOVER, XLSX_IMPORT), spelled here to keep their modules out of the initial
 * chunks; functions/jobs/consume.test.ts checks they match.
 */
const runners: Record<string, (jobId: string, clock: Clock, m: z.infer<typeof Message>) => Promise<void>> = {
  "unit-import": (jobId, clock, m) => runUnitImport(jobId, clock, m.stage),
  "unit-move": async (jobId, clock) => (await import("../../core/unit/move-job.ts")).runUnitMove(jobId, clock),
  [XLSX_IMPORT]: (jobId, clock, m) => runXlsx(jobId, clock, m.list),
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
  await run(m.jobId, clock, m);
});
