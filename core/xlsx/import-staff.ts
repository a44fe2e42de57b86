/**
 * The runner of the staff list's Excel imports (list `staff`; kind `xlsx-import`): the flow of
 * core/xlsx/import-flat.ts with the accounts' writes (core/xlsx/apply-staff.ts), around
 * core/xlsx/import-run.ts. Its own lazy module of the jobs consumer (functions/jobs/consume.ts), so
 * only a staff import loads the account writes and what they may load (the open-work check before a
 * deactivation, the activation codes; issue #15).
 */
import type { Clock } from "../clock.ts";
import { applyStaff } from "./apply-staff.ts";
import { importFlatWorkbook, type FlatWrite } from "./import-flat.ts";
import { runXlsxJob } from "./import-run.ts";
import { readStaffRows } from "./lists.ts";
import { STAFF } from "./spec-staff.ts";
import type { XlsxList } from "./specs.ts";

/** The list run here. */
export const STAFF_LISTS: readonly XlsxList[] = ["staff"];

const staff: FlatWrite = async (rows, _present, ctx, startImporting) => {
  const r = readStaffRows(rows);
  await startImporting(r.problems);
  return { read: r.problems, applied: await applyStaff(r.accounts, ctx) };
};

/** Run an Excel import job of staff (a job of another list is refused: core/xlsx/import-run.ts). */
export async function runStaffImport(jobId: string, clock: Clock): Promise<void> {
  await runXlsxJob(jobId, clock, STAFF_LISTS, (job, list, bytes, principal, finish) => importFlatWorkbook(job, list, STAFF, bytes, principal, clock, finish, staff));
}
