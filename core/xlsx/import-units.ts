/**
 * The runner of the unit tree's Excel imports (list `units`; kind `xlsx-import`): the workbook read
 * by core/xlsx/import-book.ts and written by core/xlsx/units-apply.ts, around core/xlsx/import-run.ts.
 * Its own lazy module of the jobs consumer (functions/jobs/consume.ts), so the registry's writes
 * (sealing, the registry KMS key) are not loaded with it (issue #15).
 */
import type { Clock } from "../clock.ts";
import { importBook } from "./import-book.ts";
import { runXlsxJob } from "./import-run.ts";
import { problemsKey } from "./schema.ts";
import { UNITS } from "./spec-units.ts";
import type { XlsxList } from "./specs.ts";
import { applyUnits } from "./units-apply.ts";
import { readUnitRows } from "./units-lists.ts";

export const UNITS_LISTS: readonly XlsxList[] = ["units"];

export async function runUnitsImport(jobId: string, clock: Clock): Promise<void> {
  await runXlsxJob(jobId, clock, UNITS_LISTS, (job, _list, bytes, principal, finish) => importBook(job, "units", [UNITS], bytes, principal, clock, finish, problemsKey(job.id), { units: { readUnitRows, apply: applyUnits } }));
}
