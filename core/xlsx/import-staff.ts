/**
 * The runner of the staff list's Excel imports (list `staff`; kind `xlsx-import`): the flow of
 * core/xlsx/import-flat.ts with the accounts' writes (core/xlsx/import-staff-workbook.ts), around
 * core/xlsx/import-run.ts. Its own lazy module of the jobs consumer (functions/jobs/consume.ts), so
 * only a staff import loads the account writes and what they may load (the open-work check before a
 * deactivation, the activation codes; issue #15). Small: the workbook's reading and writes, the
 * larger part, are a module of their own that loads while the job is claimed.
 */
import type { Clock } from "../clock.ts";
import { runXlsxJob } from "./import-run.ts";
import type { XlsxList } from "./specs.ts";

/** The list run here. */
export const STAFF_LISTS: readonly XlsxList[] = ["staff"];

/** Run an Excel import job of staff (a job of another list is refused: core/xlsx/import-run.ts). */
export async function runStaffImport(jobId: string, clock: Clock): Promise<void> {
  // the workbook code loads while the job is claimed
  await runXlsxJob(jobId, clock, STAFF_LISTS, import("./import-staff-workbook.ts").then((m) => m.staffWorkbook(clock)));
}
