/**
 * The staff workbook of an Excel import job (core/xlsx/import-staff.ts runs it): the sheet read by
 * core/xlsx/import-flat.ts, its rows checked (core/xlsx/lists.ts) and the accounts written
 * (core/xlsx/apply-staff.ts). Loaded by the runner as it starts, while the job is claimed.
 */
import type { Clock } from "../clock.ts";
import { applyStaff } from "./apply-staff.ts";
import { importFlatWorkbook, type FlatWrite } from "./import-flat.ts";
import type { ImportWorkbook } from "./import-run.ts";
import { readStaffRows } from "./lists.ts";
import { STAFF } from "./spec-staff.ts";

/** The rows' checks, then (the job shown importing meanwhile) the accounts' writes. */
const staff: FlatWrite = async (rows, _present, ctx, startImporting) => {
  const r = readStaffRows(rows);
  return { read: r.problems, applied: await applyStaff(r.accounts, ctx, startImporting(r.problems)) };
};

/** The staff family's work on a claimed job's workbook. */
export const staffWorkbook =
  (clock: Clock): ImportWorkbook =>
  (job, list, bytes, principal, finish) =>
    importFlatWorkbook(job, list, STAFF, bytes, principal, clock, finish, staff);
