/**
 * The import job of the registry's and the unit tree's workbooks (lists `households`, `people`,
 * `units`; core/xlsx/import.ts hands them over once the file is read from the bucket): the sheets
 * of the list's workbook (`BOOKS`: the people's workbook holds their households too), rows checked
 * (core/xlsx/registry-lists.ts) and written (registry-apply.ts), line-numbered errors with their
 * sheet, one audit entry. Personal data: once written, a row's ID number and phones are replaced in
 * the stored workbook by their masks and its record id filled in, so the bucket keeps plaintext only
 * on rows still to fix, and the corrected file imports back without change (docs/registry.md "Excel").
 */
import { auditPut } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import type { Clock } from "../clock.ts";
import { InvalidError } from "../errors.ts";
import { putText } from "../job/files.ts";
import { updateJob } from "../job/repo.ts";
import { importContext } from "./import-context.ts";
import type { Job, JobError } from "../job/schema.ts";
import { columnLetter, correctedSheets, readSheets, type ReadSheet } from "./book.ts";
import { putBytes } from "./files.ts";
import { problemReasonEn, type RowProblem } from "./reason.ts";
import type { ListSpec } from "./specs.ts";
import { XLSX_TYPE } from "./schema.ts";

import type { BookList } from "./specs.ts";

export { BOOK_LISTS, isBookList, type BookList } from "./specs.ts";

const MAX_REASON = 500;
const MAX_ROWS = 20_000;
const ACTION: Record<BookList, string> = { households: "household.import", people: "person.import", units: "unit.import" };

import type { Finish } from "./import-run.ts";

/** A problem as the job's error: row, sheet (a workbook of several), column letter, code and params, English reason. */
export function bookJobError(specs: readonly ListSpec[], sheets: Map<string, ReadSheet>, p: RowProblem): JobError {
  const spec = specs.find((s) => s.sheet === p.sheet) ?? specs[specs.length - 1];
  const col = p.key ? sheets.get(spec.sheet)?.columns.get(p.key) : undefined;
  const params: Record<string, string | number> = { ...(p.params ?? {}) };
  if (p.key) params.field ??= p.key;
  if (col) params.column = columnLetter(col);
  if (specs.length > 1) params.sheet = spec.sheet;
  const where = `${specs.length > 1 ? `${spec.sheet} ` : ""}${col ? `${columnLetter(col)}: ` : ""}`;
  const reason = `${where}${problemReasonEn(spec, p)}`;
  return { line: p.line, ...(col ? { column: col } : {}), code: p.code, params, reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason };
}

/** The row checks and writes of the workbook's family: its runner (import-registry.ts, import-units.ts) passes its own, so it loads no other. */
export interface BookWriters {
  registry?: { readHouseholdRows: typeof import("./registry-lists.ts").readHouseholdRows; readPersonRows: typeof import("./registry-lists.ts").readPersonRows; apply: typeof import("./registry-apply.ts").applyRegistry };
  units?: { readUnitRows: typeof import("./units-lists.ts").readUnitRows; apply: typeof import("./units-apply.ts").applyUnits };
}

/** Import the workbook of a claimed job of `list`, whose sheets are `specs` in order (its runner's: core/xlsx/spec-books.ts spells every list's). */
export async function importBook(job: Job, list: BookList, specs: ListSpec[], bytes: Uint8Array, principal: Principal, clock: Clock, finish: Finish, problemsKey: string, writers: BookWriters): Promise<void> {
  const { sourceKey, fileName } = job.input as { sourceKey: string; fileName: string };
  let sheets: Map<string, ReadSheet>;
  try {
    sheets = await readSheets(bytes, specs);
  } catch (e) {
    if (e instanceof InvalidError) {
      const d = (e.details ?? {}) as { problem?: string; line?: number; missing?: string[]; sheet?: string };
      return finish("failed", [{ line: d.line ?? 0, code: d.problem ?? "xlsx_unreadable", params: { ...(d.missing ? { missing: d.missing.join(", ") } : {}), ...(d.sheet ? { sheet: d.sheet } : {}) }, reason: e.message }], 0, null);
    }
    throw e;
  }
  const main = specs[specs.length - 1];
  const total = [...sheets.values()].reduce((n, s) => n + s.rows.length, 0);
  if (!total) return finish("failed", [{ line: 0, code: "xlsx_empty", params: {}, reason: "The sheet has no data rows" }], 0, null);
  if (total > MAX_ROWS) return finish("failed", [{ line: 0, code: "xlsx_too_large", params: { max: MAX_ROWS }, reason: `The file has more than ${MAX_ROWS} rows` }], 0, null);

  const ctx = importContext(job.id, principal, clock, total);
  const read: RowProblem[] = [];
  const present = (s: ListSpec) => new Set(sheets.get(s.sheet)?.columns.keys() ?? []);
  const startImporting = () => updateJob(job.id, { status: "importing", total, done: new Set(read.map((p) => `${p.sheet}#${p.line}`)).size, updatedAt: clock.now().toISOString() });
  let applied: { created: number; updated: number; unchanged: number; problems: RowProblem[]; values?: Map<string, Map<number, Record<string, string>>> };
  if (list === "units") {
    if (!writers.units) throw new Error(`no writer of ${list} in this runner`);
    const r = writers.units.readUnitRows(sheets.get(main.sheet)?.rows ?? []);
    read.push(...r.problems.map((p) => ({ ...p, sheet: main.sheet })));
    await startImporting();
    applied = await writers.units.apply(r.units, present(main), ctx);
    applied.problems = applied.problems.map((p) => ({ ...p, sheet: main.sheet }));
  } else {
    if (!writers.registry) throw new Error(`no writer of ${list} in this runner`);
    const { readHouseholdRows, readPersonRows, apply } = writers.registry;
    const [hs, ps] = specs.length > 1 ? specs : [specs[0], undefined];
    const h = sheets.has(hs.sheet) ? readHouseholdRows(sheets.get(hs.sheet)!.rows) : undefined;
    const pe = ps && sheets.has(ps.sheet) ? readPersonRows(sheets.get(ps.sheet)!.rows) : undefined;
    read.push(...(h?.problems ?? []).map((p) => ({ ...p, sheet: hs.sheet })), ...(pe?.problems ?? []).map((p) => ({ ...p, sheet: ps!.sheet })));
    await startImporting();
    applied = await apply({ ...(h ? { households: { rows: h.households, present: present(hs) } } : {}), ...(pe ? { people: { rows: pe.people, present: present(ps!) } } : {}) }, ctx);
  }
  const problems = [...read, ...applied.problems].sort((a, b) => (a.sheet ?? "").localeCompare(b.sheet ?? "") || a.line - b.line);
  const rejected = new Set(problems.map((p) => `${p.sheet}#${p.line}`));
  const errors = problems.map((p) => bookJobError(specs, sheets, p));
  await putText(problemsKey, JSON.stringify(errors), "application/json");
  if (applied.values?.size) {
    // plaintext ID numbers and phones stay in the stored file only on the rows still to fix
    await putBytes(sourceKey, await correctedSheets(bytes, specs, new Map(), { header: null }, applied.values), XLSX_TYPE);
  }
  const result = { list, fileName, rows: total, created: applied.created, updated: applied.updated, unchanged: applied.unchanged, rejected: rejected.size, problems: errors.length };
  const audit = auditPut(
    {
      actor: job.createdBy,
      action: ACTION[list],
      entity: "job",
      entityId: job.id,
      summary: `Excel import of ${list} (${fileName}): ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.rejected} rows rejected`,
    },
    clock.now(),
  );
  await finish("succeeded", errors, total, result, [audit]);
}
