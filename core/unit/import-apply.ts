/**
 * Stage 2 ("apply") of a unit import job: reads the rows stage 1 wrote (core/unit/import-read.ts,
 * a WGS84 GeoJSON file), plans them against the tree (import-plan), checks the boundaries
 * (import-geometry, polyclip-ts) or, with mode=check, reports the topology (import-topology), then,
 * unless mode=all found errors, writes parents before children in parallel chunks (import-store),
 * updating the job's progress per chunk; at the end bumps the tree version (so `units/locate` sees
 * the new units) and records one audit entry together with the job's result.
 *
 * Exactly once: the claim is conditional on the job item (stage marker "apply-queued" at the
 * version stage 1 left, or "apply" with the attempts read, for a delivery again of this message
 * after a run that died); a finished job is left alone. A run again converges: rows already
 * written are found and skipped.
 */
import * as z from "zod/mini";
import { auditPut } from "../audit/entry.ts";
import type { Clock } from "../clock.ts";
import { logger } from "../log.ts";
import { getSettings } from "../settings/settings.ts";
import { getText } from "../job/files.ts";
import { getJob, addJobProgress, finishJob, updateJob } from "../job/repo.ts";
import { jobRun } from "../job/run.ts";
import { JobError, MAX_JOB_ERRORS, TERMINAL, type Job, type JobStage } from "../job/schema.ts";
import { bumpTreeVersion } from "./repo.ts";
import { ImportRow } from "./import-parse.ts";
import type { ImportFormat } from "./import-format.ts";
import { codesToLookUp, planImport } from "./import-plan.ts";
import { lookUpRefs, writeRows } from "./import-store.ts";
import { checkImportBoundaries } from "./import-geometry.ts";
import { topologyReport, type TopologyFinding } from "./import-topology.ts";
import { failImport, firstErrors, onStageError, stageFileKey, storeReport, STAGE_APPLY, STAGE_APPLY_QUEUED } from "./import-job.ts";
import type { ImportMode } from "./import-start.ts";

/** Stage 1's file (our own, parsed all the same): rows as Features, the row errors and the row count. */
const StageFile = z.object({
  type: z.literal("FeatureCollection"),
  total: z.number().check(z.int(), z.gte(0)),
  errors: z.array(JobError),
  features: z.array(z.object({ type: z.literal("Feature"), properties: z.record(z.string(), z.unknown()), geometry: z.unknown() })),
});

/** The rows of stage 1's file, with the field checks every import row gets. */
export function readStageFile(text: string): { rows: ImportRow[]; errors: JobError[]; total: number } {
  const file = StageFile.parse(JSON.parse(text));
  return { rows: file.features.map((f) => ImportRow.parse({ ...f.properties, boundary: f.geometry })), errors: file.errors, total: file.total };
}

/** Run stage 2 of an import job (the `unit-import` kind's message with stage "apply"). */
export const runUnitImportApply = (jobId: string, clock: Clock): Promise<void> => jobRun(clock, () => runApply(jobId, clock));

async function runApply(jobId: string, clock: Clock): Promise<void> {
  const job = (await getJob(jobId, true)) as (Job & JobStage) | undefined;
  if (!job) {
    logger.warn("import job not found", { jobId });
    return;
  }
  if (TERMINAL.includes(job.status)) return; // finished: a late delivery changes nothing
  if (job.stage !== STAGE_APPLY_QUEUED && job.stage !== STAGE_APPLY) {
    // stage 1 has not finished (it sends this message only after): nothing to apply yet
    logger.warn("import apply before its read stage", { jobId, stage: job.stage });
    return;
  }
  const version = job.stageVersion ?? 0;
  const attempts = job.attempts ?? 0;
  const claimed = await updateJob(
    jobId,
    { stage: STAGE_APPLY, ...(job.stage === STAGE_APPLY_QUEUED ? { stageVersion: version + 1 } : {}), updatedAt: clock.now().toISOString() },
    { from: ["validating", "importing"], stage: [job.stage], stageVersion: version, addAttempt: true, attempts },
  );
  if (!claimed) return; // another delivery claimed this attempt first, or the job finished
  try {
    await applyFile(job, clock);
  } catch (e) {
    await onStageError(jobId, attempts, clock, e);
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

async function applyFile(job: Job, clock: Clock): Promise<void> {
  const { format, mode, accept } = job.input as { format: ImportFormat; mode: ImportMode; accept?: string[] };
  const fail = (errors: JobError[], total: number, result: Job["result"] = null, extraOps: any[] = []) => failImport(job.id, clock, errors, total, result, extraOps);

  let text: string;
  try {
    text = await getText(stageFileKey(job.id));
  } catch (e) {
    if ((e as Error).name === "NoSuchKey") return fail([{ line: 0, reason: "the file of this import is missing; upload it again" }], 0);
    throw e;
  }
  const read = readStageFile(text);
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
