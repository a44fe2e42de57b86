import { ulid } from "ulid";
import * as z from "zod/mini";
import { presignS3 } from "../s3-presign.ts";
import type { Principal } from "../auth/principal.ts";

/** Largest import file accepted through a presigned upload (inline bodies are limited by the route). */
export const MAX_IMPORT_FILE_BYTES = 100 * 1024 * 1024;

const TYPES: Record<string, string> = {
  "application/geo+json": "geojson",
  "application/json": "geojson",
  "text/csv": "csv",
  "application/zip": "shapefile",
};
const EXTENSION: Record<string, string> = { geojson: "geojson", csv: "csv", shapefile: "zip" };

export const ImportUploadRequest = z.object({
  contentType: z.string().check(z.maxLength(100), z.refine((t) => Object.hasOwn(TYPES, t), { message: `one of ${Object.keys(TYPES).join(", ")}` })),
  size: z.number().check(z.int(), z.gte(1), z.lte(MAX_IMPORT_FILE_BYTES, `at most ${MAX_IMPORT_FILE_BYTES} bytes (100 MiB)`)),
});

/** Where a caller's import uploads go; `POST /v1/units/import {uploadKey}` accepts only keys under it. */
export function importUploadPrefix(p: Principal): string {
  return `imports/uploads/${p.kind}-${p.id}/`;
}

const EXPIRES = 900;

/** A presigned PUT for an import file too big for a request body. */
export async function presignImportUpload(p: Principal, input: z.infer<typeof ImportUploadRequest>, now: Date) {
  const ext = TYPES[input.contentType];
  const key = `${importUploadPrefix(p)}${ulid(now.getTime())}.${EXTENSION[ext]}`;
  const url = await presignS3("PUT", key, { expiresIn: EXPIRES, headers: { "content-type": input.contentType, "content-length": String(input.size) } });
  return {
    uploadKey: key,
    format: ext,
    uploadUrl: url,
    method: "PUT",
    headers: { "content-type": input.contentType },
    expiresAt: new Date(now.getTime() + EXPIRES * 1000).toISOString(),
  };
}
