import { ulid } from "ulid";
import * as z from "zod/mini";
import { IdFilter } from "../db/ids.ts";
import { putS3Object } from "../s3-object.ts";
import { presignDownload } from "../attachment/presign.ts";
import { requireScope, scopesFor, type Principal } from "../auth/principal.ts";
import { NotFoundError } from "../errors.ts";
import { parse } from "../validate.ts";
import { getUnit, subtree } from "./repo.ts";
import { readUnit } from "./read.ts";
import { toCsv, toGeoJson, unitsToRows } from "./export-format.ts";

export const ExportQuery = z.object({
  format: z._default(z.enum(["geojson", "csv"]), "geojson"),
  subtreeOf: z.optional(IdFilter(40)),
  /** include deactivated units (default: active ones only) */
  inactive: z._default(z.enum(["true", "false"]), "false"),
});

/** Bodies above this go to S3 and the caller gets a presigned download (Lambda responses stop at 6 MB). */
export const INLINE_EXPORT_BYTES = 5 * 1024 * 1024;

export type ExportFile = { kind: "inline"; body: string; contentType: string; fileName: string } | { kind: "download"; url: string; key: string; fileName: string };

/**
 * The unit tree below `subtreeOf` (default: the caller's widest scope) as a GeoJSON or CSV file that
 * the import reads back. The subtree must be within the caller's units:read scope. A body above
 * `opts.inlineLimit` (default INLINE_EXPORT_BYTES; tests lower it) is stored with one signed PutObject
 * (core/s3-object.ts, no S3 client) and answered with a presigned download.
 */
export async function exportUnits(p: Principal, input: unknown, now: Date, opts: { inlineLimit?: number } = {}): Promise<ExportFile> {
  const q = parse(ExportQuery, input, "query");
  const scopes = scopesFor(p, "units:read").sort((a, b) => a.length - b.length);
  let rootPath: string;
  if (q.subtreeOf) {
    const root = await readUnit(p, q.subtreeOf);
    requireScope(p, "units:read", root.path);
    rootPath = root.path;
  } else {
    if (!scopes.length) throw new NotFoundError("No units to export");
    rootPath = scopes[0];
  }
  const units = await subtree(rootPath, { activeOnly: q.inactive !== "true" });
  if (!units.length) throw new NotFoundError("No units to export");
  const top = units.reduce((a, b) => (b.depth < a.depth ? b : a));
  const parentCodes = new Map<string, string>();
  if (top.parentId) {
    const parent = await getUnit(top.parentId);
    if (parent) parentCodes.set(parent.id, parent.code);
  }
  const rows = unitsToRows(units, parentCodes);
  const body = q.format === "csv" ? toCsv(rows) : toGeoJson(rows);
  const ext = q.format === "csv" ? "csv" : "geojson";
  const contentType = q.format === "csv" ? "text/csv; charset=utf-8" : "application/geo+json; charset=utf-8";
  const fileName = `units-${top.code}.${ext}`;
  if (Buffer.byteLength(body) <= (opts.inlineLimit ?? INLINE_EXPORT_BYTES)) return { kind: "inline", body, contentType, fileName };
  const key = `exports/units-${top.code}-${ulid(now.getTime())}.${ext}`;
  await putS3Object(key, Buffer.from(body), contentType, { contentDisposition: `attachment; filename="${fileName}"` });
  return { kind: "download", url: await presignDownload(key), key, fileName };
}
