/**
 * Bulk import of the unit tree (county configuration from a GeoJSON or CSV file).
 *
 * `startUnitImport` (HTTP request, core/unit/import-start.ts): checks the request, stores the file in
 * S3 as `imports/<jobId>.<ext>`, creates the job (with its Idempotency-Key record) and queues it.
 * `runUnitImport` (jobs queue consumer): reads the file, checks every row (import-parse,
 * import-plan), then, unless mode=all found errors, writes parents before children in parallel
 * chunks (import-store), updating the job's progress per chunk; at the end bumps the tree version
 * (so `units/locate` sees the new units) and records one audit entry together with the job's result.
 */
import { auditPut } from "../audit/entry.ts";
import type { Clock } from "../clock.ts";
import { InvalidError } from "../errors.ts";
import { logger } from "../log.ts";
import { getSettings } from "../settings/settings.ts";
import { errorReportCsv } from "../job/csv.ts";
import { getBytes, getText, putText } from "../job/files.ts";
import { getJob, addJobProgress, finishJob, updateJob } from "../job/repo.ts";
import { MAX_JOB_ATTEMPTS, MAX_JOB_ERRORS, TERMINAL, type Job, type JobError } from "../job/schema.ts";
import { bumpTreeVersion } from "./repo.ts";
import { ImportFormat, readImportFile } from "./import-parse.ts";
import { ShapefileFields } from "./import-shapefile.ts";

/** A zipped Shapefile's rows (the readers and proj4 are loaded only by the import job). */
async function readShapefileImport(zip: Uint8Array, fields: ShapefileFields | undefined): Promise<ReturnType<typeof readImportFile>> {
  const [{ readShapefileZip }, { fieldMapping, shapefileRows }] = await Promise.all([import("../geo/shapefile.ts"), import("./import-shapefile.ts")]);
  const read = await readShapefileZip(zip);
  return shapefileRows(read.features, fieldMapping(read.fields, fields));
}
import { codesToLookUp, planImport } from "./import-plan.ts";
import { lookUpRefs, writeRows } from "./import-store.ts";
import { checkImportBoundaries } from "./import-geometry.ts";
import { topologyReport, type TopologyFinding } from "./import-topology.ts";

import { UNIT_IMPORT, type ImportMode } from "./import-start.ts";

export { UNIT_IMPORT };

/** A file that could not be read, as the job's one error: where (line, column) and a code the console translates. */
function fileError(e: InvalidError): JobError {
  const d = (e.details ?? {}) as { line?: number; column?: number; problem?: string; syntax?: string; missing?: string[]; found?: string; projection?: string };
  const params: Record<string, string> = {};
  if (d.projection) params.projection = d.projection;
  if (d.syntax) params.syntax = d.syntax;
  if (d.missing) params.missing = d.missing.join(", ");
  if (d.found) params.found = d.found;
  return { line: d.line ?? 0, ...(d.column ? { column: d.column } : {}), ...(d.problem ? { code: d.problem, params } : {}), reason: e.message };
}

const MAX_REASON = 500;

function firstErrors(errors: JobError[]) {
  return { errors: errors.slice(0, MAX_JOB_ERRORS).map((e) => (e.reason.length > MAX_REASON ? { ...e, reason: `${e.reason.slice(0, MAX_REASON)}…` } : e)), errorCount: errors.length };
}

async function storeReport(jobId: string, errors: JobError[]): Promise<string | undefined> {
  if (!errors.length) return undefined;
  const key = `imports/${jobId}.errors.csv`;
  await putText(key, errorReportCsv(errors), "text/csv; charset=utf-8");
  return key;
}

/**
 * Run an import job (the `unit-import` kind of the jobs queue). A finished job is left alone; a
 * job interrupted halfway is run again from the start, which converges (rows already written are
 * found and skipped). Unexpected errors are rethrown (the message comes back) until the last
 * attempt, which marks the job failed.
 */
export async function runUnitImport(jobId: string, clock: Clock): Promise<void> {
  const job = await getJob(jobId, true);
  if (!job) {
    logger.warn("import job not found", { jobId });
    return;
  }
  if (TERMINAL.includes(job.status)) return;
  const claimed = await updateJob(jobId, { status: "validating", startedAt: clock.now().toISOString(), updatedAt: clock.now().toISOString(), done: 0 }, { from: ["queued", "validating", "importing"], addAttempt: true, attempts: job.attempts ?? 0 });
  if (!claimed) return; // finished, or another delivery of the same job claimed this attempt first
  try {
    await importFile(job, clock);
  } catch (e) {
    if (job.attempts + 1 < MAX_JOB_ATTEMPTS) throw e;
    logger.error("import job failed", { jobId, error: (e as Error).message });
    const at = clock.now().toISOString();
    await finishJob(jobId, {
      status: "failed",
      ...firstErrors([{ line: 0, reason: "the import stopped on an internal error; run it again (rows already written are kept and skipped)" }]),
      updatedAt: at,
      finishedAt: at,
    });
  }
}

/**
 * The findings kept on the job item (DynamoDB's 400 KB item limit): highlights rounded to about a
 * metre, and dropped from the smallest findings on when the report would exceed 250 KB.
 */
function fitted(findings: TopologyFinding[]): TopologyFinding[] {
  const round = (v: unknown): unknown => (typeof v === "number" ? Math.round(v * 1e5) / 1e5 : Array.isArray(v) ? v.map(round) : v);
  const out = findings.map((f) => (f.highlight ? { ...f, highlight: { ...f.highlight, coordinates: round(f.highlight.coordinates) } as typeof f.highlight } : f));
  let size = JSON.stringify(out).length;
  for (let i = out.length - 1; i >= 0 && size > 250_000; i--) {
    if (!out[i].highlight) continue;
    size -= JSON.stringify(out[i].highlight).length;
    out[i] = { ...out[i], highlight: undefined };
  }
  return out;
}

async function importFile(job: Job, clock: Clock): Promise<void> {
  const { format, mode, sourceKey, fields, accept } = job.input as { format: ImportFormat; mode: ImportMode; sourceKey: string; fields?: ShapefileFields; accept?: string[] };
  const fail = async (errors: JobError[], total: number, result: Job["result"] = null, extraOps: any[] = []) => {
    const at = clock.now().toISOString();
    await finishJob(job.id, { status: "failed", total, done: total, ...firstErrors(errors), errorReportKey: await storeReport(job.id, errors), result, updatedAt: at, finishedAt: at }, extraOps);
  };

  let file: string | Uint8Array;
  try {
    file = format === "shapefile" ? await getBytes(sourceKey) : await getText(sourceKey);
  } catch (e) {
    if ((e as Error).name === "NoSuchKey") return fail([{ line: 0, reason: "the file of this import is missing; upload it again" }], 0);
    throw e;
  }
  let read: Awaited<ReturnType<typeof readImportFile>>;
  try {
    read = format === "shapefile" ? await readShapefileImport(file as Uint8Array, fields) : await readImportFile(format, file as string);
  } catch (e) {
    if (e instanceof InvalidError) return fail([fileError(e)], 0);
    throw e;
  }
  const settings = await getSettings(true);
  const { rowCodes, parentCodes } = codesToLookUp(read.rows);
  const refs = await lookUpRefs(rowCodes, parentCodes);
  const plan = planImport(read.rows, { settings, existing: refs, scopes: job.scopes });
  if (mode === "check") {
    // the topology report: nothing is written
    const total = read.total;
    const rejected = [...read.errors, ...plan.errors].sort((a, b) => a.line - b.line);
    const report = await topologyReport(read.rows, plan.rows, refs);
    const at = clock.now().toISOString();
    const result = { written: false, checked: true, rows: total, rejected: rejected.length, topology: fitted(report.findings), topologyCount: report.count };
    return void (await finishJob(job.id, { status: "succeeded", total, done: total, ...firstErrors(rejected), errorReportKey: await storeReport(job.id, rejected), result, updatedAt: at, finishedAt: at }));
  }
  const geometry = await checkImportBoundaries(plan.rows, refs, settings, new Set(accept ?? []));
  const refusedLines = new Set(geometry.errors.map((e) => e.line));
  const rows = plan.rows.filter((r) => !refusedLines.has(r.line)).map((r) => (geometry.problems.has(r.code) ? { ...r, boundaryWarnings: geometry.problems.get(r.code) } : r));
  const warnings = geometry.warnings.length ? { warnings: geometry.warnings.slice(0, MAX_JOB_ERRORS), warningCount: geometry.warnings.length } : {};
  const rejected = [...read.errors, ...plan.errors, ...geometry.errors].sort((a, b) => a.line - b.line);
  const total = read.total;
  if (!total) return fail([{ line: 0, reason: "the file has no rows" }], 0);
  if (mode === "all" && rejected.length) return fail(rejected, total, { created: 0, updated: 0, unchanged: 0, rejected: rejected.length, written: false, ...warnings });

  await updateJob(job.id, { status: "importing", total, done: rejected.length, ...firstErrors(rejected), updatedAt: clock.now().toISOString() });
  const written = await writeRows(rows, refs, {
    now: () => clock.now(),
    onChunk: (n) => addJobProgress(job.id, n, clock.now().toISOString()),
  });
  const errors = [...rejected, ...written.errors].sort((a, b) => a.line - b.line);
  const result = { created: written.created, updated: written.updated, unchanged: written.unchanged, rejected: errors.length, ...warnings };
  if (written.created + written.updated > 0) await bumpTreeVersion();
  const now = clock.now();
  const audit = auditPut(
    {
      actor: job.createdBy,
      action: "unit.import",
      entity: "job",
      entityId: job.id,
      summary: `${format} import (${mode}): ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.rejected} rejected${geometry.warnings.length ? `, ${geometry.warnings.length} with boundary warnings` : ""}${accept?.length ? ` (${accept.length} topology findings accepted: ${accept.slice(0, 20).join(", ")}${accept.length > 20 ? ", …" : ""})` : ""}`,
    },
    now,
  );
  if (mode === "all" && written.errors.length) return fail(errors, total, result, [audit]);
  await finishJob(
    job.id,
    { status: "succeeded", total, done: total, ...firstErrors(errors), errorReportKey: await storeReport(job.id, errors), result, updatedAt: now.toISOString(), finishedAt: now.toISOString() },
    [audit],
  );
}
