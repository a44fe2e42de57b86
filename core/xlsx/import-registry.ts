/**
 * The runner of the registry's Excel imports (lists `households` and `people`; kind `xlsx-import`):
 * the workbook read by core/xlsx/import-book.ts and written by core/xlsx/registry-apply.ts, around
 * core/xlsx/import-run.ts. Its own lazy module of the jobs consumer (functions/jobs/consume.ts), so
 * the staff's, the lists' and the unit tree's writes are not loaded with it (issue #15).
 */
import type { Clock } from "../clock.ts";
import { importBook } from "./import-book.ts";
import { runXlsxJob } from "./import-run.ts";
import { applyRegistry } from "./registry-apply.ts";
import { readHouseholdRows, readPersonRows } from "./registry-lists.ts";
import { problemsKey } from "./schema.ts";
import { HOUSEHOLDS_BOOK, PEOPLE_BOOK } from "./spec-registry.ts";
import type { BookList, XlsxList } from "./specs.ts";

export const REGISTRY_LISTS: readonly XlsxList[] = ["households", "people"];

export async function runRegistryImport(jobId: string, clock: Clock): Promise<void> {
  await runXlsxJob(jobId, clock, REGISTRY_LISTS, (job, list, bytes, principal, finish) => importBook(job, list as BookList, list === "people" ? PEOPLE_BOOK : HOUSEHOLDS_BOOK, bytes, principal, clock, finish, problemsKey(job.id), { registry: { readHouseholdRows, readPersonRows, apply: applyRegistry } }));
}
