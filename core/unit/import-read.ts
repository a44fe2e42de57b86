/**
 * Stage 1 ("read") of a unit import job: reads the uploaded file (GeoJSON, CSV, or a zipped
 * Shapefile with its readers, proj4 and wkt-parser), checks every row's fields, and writes the rows
 * as a normalised WGS84 GeoJSON file (`imports/<jobId>.read.geojson`, stageFileKey); then marks the
 * job "apply-queued" and sends the stage-2 ("apply") message (core/unit/import-apply.ts).
 *
 * Exactly once: the claim and the change of stage are conditional on the job item (status, stage
 * marker, attempts, stageVersion). A stage-1 message delivered again after stage 2 claimed the job
 * is a no-op; one delivered while the job is still "apply-queued" (the run died between its change
 * of stage and the send) sends the stage-2 message again. A file that cannot be read fails the job
 * here, with the same errors as before the split (unsupported_projection, json syntax, …).
 */
import type { Clock } from "../clock.ts";
import { InvalidError } from "../errors.ts";
import { logger } from "../log.ts";
import { enqueueJob } from "../job/enqueue.ts";
import { getBytes, getText, putText } from "../job/files.ts";
import { getJob, updateJob } from "../job/repo.ts";
import { jobRun } from "../job/run.ts";
import { TERMINAL, type Job, type JobError, type JobStage } from "../job/schema.ts";
import type { ImportFormat } from "./import-format.ts";
import { readImportFile, type ImportRow } from "./import-parse.ts";
import type { ShapefileFields } from "./import-format.ts";
import { fileError, failImport, onStageError, stageFileKey, STAGE_APPLY, STAGE_APPLY_QUEUED, STAGE_READ } from "./import-job.ts";

type Read = { rows: ImportRow[]; errors: JobError[]; total: number };

/** A zipped Shapefile's rows (the readers and proj4 are loaded only by this stage). */
async function readShapefileImport(zip: Uint8Array, fields: ShapefileFields | undefined): Promise<Read> {
  const [{ readShapefileZip }, { fieldMapping, shapefileRows }] = await Promise.all([import("../geo/shapefile.ts"), import("./import-shapefile.ts")]);
  const read = await readShapefileZip(zip);
  return shapefileRows(read.features, fieldMapping(read.fields, fields));
}

/** The stage file: the checked rows as GeoJSON Features (properties = the row's fields), the row errors and the row count as foreign members. */
export function stageFile(read: Read): string {
  return JSON.stringify({
    type: "FeatureCollection",
    total: read.total,
    errors: read.errors,
    features: read.rows.map(({ boundary, ...props }) => ({ type: "Feature", properties: props, geometry: boundary ?? null })),
  });
}

/** Run stage 1 of an import job (the `unit-import` kind's message without a stage, or with stage "read"). */
export const runUnitImportRead = (jobId: string, clock: Clock): Promise<void> => jobRun(clock, () => runRead(jobId, clock));

async function runRead(jobId: string, clock: Clock): Promise<void> {
  const job = (await getJob(jobId, true)) as (Job & JobStage) | undefined;
  if (!job) {
    logger.warn("import job not found", { jobId });
    return;
  }
  if (TERMINAL.includes(job.status) || job.stage === STAGE_APPLY) return;
  if (job.stage === STAGE_APPLY_QUEUED) return void (await enqueueJob({ kind: job.kind, jobId, stage: STAGE_APPLY }));
  const attempts = job.attempts ?? 0;
  const at = clock.now().toISOString();
  // "importing" without a stage: a job an import before the stages had under way
  const claimed = await updateJob(jobId, { status: "validating", stage: STAGE_READ, startedAt: at, updatedAt: at, done: 0 }, { from: ["queued", "validating", "importing"], stage: [null, STAGE_READ], addAttempt: true, attempts });
  if (!claimed) return; // finished, or another delivery of the same job claimed this attempt first
  try {
    const read = await readFile(job, clock);
    if (!read) return;
    await putText(stageFileKey(jobId), stageFile(read), "application/geo+json");
    const version = job.stageVersion ?? 0;
    // the next stage's delivery count starts again (MAX_JOB_ATTEMPTS per message)
    const next = await updateJob(
      jobId,
      { stage: STAGE_APPLY_QUEUED, stageVersion: version + 1, attempts: 0, total: read.total, updatedAt: clock.now().toISOString() },
      // handOff: the stage-2 message claims the job at once (this run's lease ends with the change of stage)
      { from: ["validating"], stage: [STAGE_READ], stageVersion: version, attempts: attempts + 1, handOff: true },
    );
    if (!next) return; // a later delivery of this stage took the job over
    await enqueueJob({ kind: job.kind, jobId, stage: STAGE_APPLY });
  } catch (e) {
    await onStageError(jobId, attempts, clock, e);
  }
}

/** The file's rows, or undefined when the job failed on a file that cannot be read. */
async function readFile(job: Job, clock: Clock): Promise<Read | undefined> {
  const { format, sourceKey, fields } = job.input as { format: ImportFormat; sourceKey: string; fields?: ShapefileFields };
  let file: string | Uint8Array;
  try {
    file = format === "shapefile" ? await getBytes(sourceKey) : await getText(sourceKey);
  } catch (e) {
    if ((e as Error).name === "NoSuchKey") return void (await failImport(job.id, clock, [{ line: 0, reason: "the file of this import is missing; upload it again" }], 0));
    throw e;
  }
  try {
    return format === "shapefile" ? await readShapefileImport(file as Uint8Array, fields) : await readImportFile(format, file as string);
  } catch (e) {
    if (e instanceof InvalidError) return void (await failImport(job.id, clock, [fileError(e)], 0));
    throw e;
  }
}
