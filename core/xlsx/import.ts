/**
 * Excel imports of departments and categories as background jobs (kind `xlsx-import`; the flow is
 * core/xlsx/import-flat.ts around core/xlsx/import-run.ts). The other families have runners of their
 * own, each a lazy module of the jobs consumer (functions/jobs/consume.ts), so a container loads only
 * the writes of the families it ran (issue #15): staff core/xlsx/import-staff.ts, the registry's
 * workbooks import-registry.ts, the unit tree's import-units.ts.
 *
 * `startXlsxImport` (HTTP request, core/xlsx/import-start.ts) stores the workbook and queues the job;
 * the corrected file is core/xlsx/corrected.ts.
 */
import type { Clock } from "../clock.ts";
import { applyCategories, applyDepartments } from "./apply.ts";
import { importFlatWorkbook, type FlatWrite } from "./import-flat.ts";
import { runXlsxJob } from "./import-run.ts";
import { readCategoryRows, readDepartmentRows } from "./lists.ts";
import { XLSX_IMPORT } from "./schema.ts";
import { CATEGORIES } from "./spec-categories.ts";
import { DEPARTMENTS } from "./spec-departments.ts";
import type { XlsxList } from "./specs.ts";

export { XLSX_IMPORT };

/** The lists run here (one sheet each). */
export const FLAT_LISTS: readonly XlsxList[] = ["departments", "categories"];

const departments: FlatWrite = async (rows, present, ctx, startImporting) => {
  const r = readDepartmentRows(rows);
  await startImporting(r.problems);
  return { read: r.problems, applied: await applyDepartments(r.departments, present, ctx) };
};

const categories: FlatWrite = async (rows, present, ctx, startImporting) => {
  const r = readCategoryRows(rows);
  await startImporting(r.problems);
  return { read: r.problems, applied: await applyCategories(r.categories, present, ctx) };
};

/** Run an Excel import job of departments or categories (a job of another list is refused: core/xlsx/import-run.ts). */
export async function runXlsxImport(jobId: string, clock: Clock): Promise<void> {
  await runXlsxJob(jobId, clock, FLAT_LISTS, (job, list, bytes, principal, finish) =>
    list === "departments" ? importFlatWorkbook(job, list, DEPARTMENTS, bytes, principal, clock, finish, departments) : importFlatWorkbook(job, list, CATEGORIES, bytes, principal, clock, finish, categories),
  );
}
