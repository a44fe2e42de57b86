/**
 * `startUnitImport` (HTTP request, `POST /v1/units/import`): checks the request, stores the file in
 * S3 as `imports/<jobId>.<ext>`, creates the job (with its Idempotency-Key record) and queues it;
 * the jobs consumer runs it in two stages (core/unit/import-read.ts, core/unit/import-apply.ts). Apart from the job so that the request does not
 * load the readers, the boundary checks (polyclip-ts, bignumber.js) or proj4 (issue #15).
 */
import { ulid } from "ulid";
import * as z from "zod/mini";
import { actorOf } from "../audit/entry.ts";
import { scopesFor, type Principal } from "../auth/principal.ts";
import { InvalidError } from "../errors.ts";
import { parse } from "../validate.ts";
import { parseCsv } from "../job/csv.ts";
import { enqueueJob } from "../job/enqueue.ts";
import { copyObject, headObject, putText } from "../job/files.ts";
import { getJob, insertJob, jobIdByIdempotencyKey } from "../job/repo.ts";
import { IdempotencyKey, queuedJob } from "../job/schema.ts";
import { csvHeader, ImportFormat, ShapefileFields } from "./import-format.ts";
import { notFeatureCollection, parseJsonText } from "./file-errors.ts";
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
  const input = { format, mode, sourceKey, ...(uploaded?.fields ? { fields: uploaded.fields } : {}), ...((uploaded?.accept ?? q.accept)?.length ? { accept: uploaded?.accept ?? q.accept } : {}) };
  const job = queuedJob({ id: jobId, kind: UNIT_IMPORT, input, createdBy: actorOf(p), scopes, at });
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

