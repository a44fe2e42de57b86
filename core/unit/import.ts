/**
 * Bulk import of the unit tree (county configuration from a GeoJSON or CSV file).
 *
 * `startUnitImport` (HTTP request): checks the request, stores the file in S3 as
 * `imports/<jobId>.<ext>`, creates the job (with its Idempotency-Key record) and queues it.
 * `runUnitImport` (jobs queue consumer): reads the file, checks every row (import-parse,
 * import-plan), then, unless mode=all found errors, writes parents before children in parallel
 * chunks (import-store), updating the job's progress per chunk; at the end bumps the tree version
 * (so `units/locate` sees the new units) and records one audit entry together with the job's result.
 */
import { ulid } from "ulid";
import * as z from "zod/mini";
import { actorOf, auditPut } from "../audit/entry.ts";
import { scopesFor, type Principal } from "../auth/principal.ts";
import type { Clock } from "../clock.ts";
import { InvalidError } from "../errors.ts";
import { logger } from "../log.ts";
import { getSettings } from "../settings/settings.ts";
import { parse } from "../validate.ts";
import { errorReportCsv, parseCsv } from "../job/csv.ts";
import { enqueueJob } from "../job/enqueue.ts";
import { copyObject, getBytes, getText, headObject, putText } from "../job/files.ts";
import { getJob, insertJob, jobIdByIdempotencyKey, addJobProgress, finishJob, updateJob } from "../job/repo.ts";
import { IdempotencyKey, MAX_JOB_ATTEMPTS, MAX_JOB_ERRORS, TERMINAL, type Job, type JobError } from "../job/schema.ts";
import { bumpTreeVersion } from "./repo.ts";
import { csvHeader, ImportFormat, readImportFile } from "./import-parse.ts";
import { ShapefileFields } from "./import-shapefile.ts";

/** A zipped Shapefile's rows (the readers and proj4 are loaded only by the import job). */
async function readShapefileImport(zip: Uint8Array, fields: ShapefileFields | undefined): Promise<ReturnType<typeof readImportFile>> {
  const [{ readShapefileZip }, { fieldMapping, shapefileRows }] = await Promise.all([import("../geo/shapefile.ts"), import("./import-shapefile.ts")]);
  const read = await readShapefileZip(zip);
  return shapefileRows(read.features, fieldMapping(read.fields, fields));
}
import { notFeatureCollection, parseJsonText } from "./file-errors.ts";
import { codesToLookUp, planImport } from "./import-plan.ts";
import { lookUpRefs, writeRows } from "./import-store.ts";
import { checkImportBoundaries } from "./import-geometry.ts";
import { topologyReport, type TopologyFinding } from "./import-topology.ts";
import { importUploadPrefix, MAX_IMPORT_FILE_BYTES } from "./import-upload.ts";

export const UNIT_IMPORT = "unit-import";

/** all: write nothing unless every row is right; partial: write the right rows; check: write nothing, report (the topology report, import-topology.ts). */
export const ImportMode = z.enum(["all", "partial", "check"]);
export type ImportMode = z.infer<typeof ImportMode>;

/** Finding ids of a topology report the admin accepts (overlaps, units outside their parent): those rows are written with warnings. */
const Accepted = z.array(z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^(overlap|outside|gap):[0-9A-Za-z:_-]+$/, "a finding id of the topology report"))).check(z.maxLength(500));
export const ImportQuery = z.object({
  format: z.optional(ImportFormat),
  mode: z.optional(ImportMode),
  /** accepted finding ids, comma-separated (inline imports) */
  accept: z.optional(z.pipe(z.pipe(z.string().check(z.maxLength(20_000), z.regex(/^[0-9A-Za-z:_,-]*$/, "finding ids of the topology report, comma-separated")), z.transform((s) => s.split(",").filter(Boolean))), Accepted)),
});

/** Body of `POST /v1/units/import` for a file uploaded with a presigned PUT first. */
export const UploadedImport = z.object({
  uploadKey: z.string().check(z.minLength(1), z.maxLength(300)),
  format: z.optional(ImportFormat),
  mode: z.optional(ImportMode),
  /** a Shapefile's attribute names for code, name, parent code… (default: the usual names found in the file) */
  fields: z.optional(ShapefileFields),
  /** finding ids of the topology report (`mode: "check"`) the admin accepts */
  accept: z.optional(Accepted),
});

const EXT: Record<ImportFormat, { ext: string; contentType: string }> = {
  geojson: { ext: "geojson", contentType: "application/geo+json" },
  csv: { ext: "csv", contentType: "text/csv; charset=utf-8" },
  shapefile: { ext: "zip", contentType: "application/zip" },
};

export interface ImportRequest {
  query: Record<string, string>;
  contentType: string | undefined;
  /** the parsed body (JSON) or the text (CSV) */
  body: unknown;
  rawBody: string;
  idempotencyKey?: string;
}

function formatFrom(contentType: string | undefined, fallback?: ImportFormat): ImportFormat | undefined {
  const t = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (t === "text/csv" || t === "text/plain") return "csv";
  if (t === "application/json" || t.endsWith("+json")) return "geojson";
  return fallback;
}

/** A file that could not be read, as the job's one error: where (line, column) and a code the console translates. */
function fileError(e: InvalidError): JobError {
  const d = (e.details ?? {}) as { line?: number; column?: number; problem?: string; syntax?: string; missing?: string[]; found?: string };
  const params: Record<string, string> = {};
  if (d.syntax) params.syntax = d.syntax;
  if (d.missing) params.missing = d.missing.join(", ");
  if (d.found) params.found = d.found;
  return { line: d.line ?? 0, ...(d.column ? { column: d.column } : {}), ...(d.problem ? { code: d.problem, params } : {}), reason: e.message };
}

/** Cheap checks of an inline file before it is queued: the right shape, so a typo fails at once with 400. */
async function checkInline(format: ImportFormat, body: unknown, raw: string): Promise<void> {
  if (!raw.trim()) throw new InvalidError("The request body is empty: send the GeoJSON or CSV file");
  if (format === "geojson") {
    let fc = body as { type?: unknown; features?: unknown } | undefined;
    if (typeof body === "string") {
      fc = (await parseJsonText(body, "The body")) as typeof fc;
    }
    if (!fc || typeof fc !== "object" || fc.type !== "FeatureCollection" || !Array.isArray(fc.features)) throw notFeatureCollection(fc, "The body");
    return;
  }
  if (typeof body !== "string") throw new InvalidError("format=csv needs a text/csv body");
  const nl = raw.search(/\r?\n/);
  const first = parseCsv(nl < 0 ? raw : raw.slice(0, nl))[0];
  csvHeader(first?.fields ?? []);
}

/**
 * Queue an import of the file in the request (inline, or uploaded first: `{uploadKey}`). With an
 * Idempotency-Key, a repeated request returns the job of the first one.
 */
export async function startUnitImport(p: Principal, req: ImportRequest, now: Date): Promise<{ jobId: string; replayed: boolean }> {
  const q = parse(ImportQuery, req.query, "query");
  const key = req.idempotencyKey === undefined ? undefined : parse(IdempotencyKey, req.idempotencyKey, "Idempotency-Key header");
  const callerId = `${p.kind}:${p.id}`;
  if (key) {
    const prior = await jobIdByIdempotencyKey(callerId, key);
    if (prior) {
      await requeueIfStuck(prior);
      return { jobId: prior, replayed: true };
    }
  }
  const scopes = scopesFor(p, "units:import");
  const jobId = ulid(now.getTime());
  const uploaded = req.body && typeof req.body === "object" && "uploadKey" in (req.body as object) ? parse(UploadedImport, req.body, "import") : undefined;
  let format: ImportFormat;
  let mode: ImportMode;
  let sourceKey: string;
  if (uploaded) {
    format = uploaded.format ?? q.format ?? (uploaded.uploadKey.endsWith(".csv") ? "csv" : uploaded.uploadKey.endsWith(".zip") ? "shapefile" : "geojson");
    mode = uploaded.mode ?? q.mode ?? "all";
    if (!uploaded.uploadKey.startsWith(importUploadPrefix(p)) || uploaded.uploadKey.includes("..")) {
      throw new InvalidError("This upload key was not issued to you", { fields: [{ path: "uploadKey", message: "unknown upload" }] });
    }
    const head = await headObject(uploaded.uploadKey);
    if (!head) throw new InvalidError("The file was not uploaded", { fields: [{ path: "uploadKey", message: "upload it with the presigned URL first" }] });
    if (head.size > MAX_IMPORT_FILE_BYTES) throw new InvalidError(`The file is larger than ${MAX_IMPORT_FILE_BYTES} bytes`, { fields: [{ path: "uploadKey", message: "too large" }] });
    sourceKey = `imports/${jobId}.${EXT[format].ext}`;
    await copyObject(uploaded.uploadKey, sourceKey);
  } else {
    const f = q.format ?? formatFrom(req.contentType);
    if (!f) throw new InvalidError("Give format=geojson or format=csv", { fields: [{ path: "format", message: "required" }] });
    format = f;
    if (format === "shapefile") {
      throw new InvalidError("Send a zipped Shapefile through POST /v1/units/import-uploads (contentType application/zip), then POST /v1/units/import {uploadKey, format: \"shapefile\", fields}", {
        fields: [{ path: "format", message: "upload the zip first" }],
      });
    }
    mode = q.mode ?? "all";
    await checkInline(format, req.body, req.rawBody);
    sourceKey = `imports/${jobId}.${EXT[format].ext}`;
    await putText(sourceKey, req.rawBody, EXT[format].contentType);
  }
  const at = now.toISOString();
  const job: Job = {
    id: jobId,
    kind: UNIT_IMPORT,
    status: "queued",
    total: 0,
    done: 0,
    errors: [],
    errorCount: 0,
    input: { format, mode, sourceKey, ...(uploaded?.fields ? { fields: uploaded.fields } : {}), ...((uploaded?.accept ?? q.accept)?.length ? { accept: uploaded?.accept ?? q.accept } : {}) },
    result: null,
    createdBy: actorOf(p),
    scopes,
    attempts: 0,
    createdAt: at,
    updatedAt: at,
  };
  const out = await insertJob(job, key ? { callerId, key, now } : undefined);
  if (!out.created) return { jobId: out.jobId, replayed: true };
  await enqueueJob({ kind: UNIT_IMPORT, jobId });
  return { jobId, replayed: false };
}

/** A replayed request whose job never started (its message was lost) queues it again; running it twice is harmless. */
async function requeueIfStuck(jobId: string): Promise<void> {
  const j = await getJob(jobId, true);
  if (j?.status === "queued") await enqueueJob({ kind: UNIT_IMPORT, jobId });
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
