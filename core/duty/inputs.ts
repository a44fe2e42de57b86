import * as z from "zod/mini";
import { S3_KEY } from "../db/ids.ts";
import { pointInput, stored } from "../geo/crs.ts";
import { confirmAttachments, presignDownload } from "../attachment/presign.ts";
import { NotFoundError } from "../errors.ts";
import { InvalidError } from "../errors.ts";
import type { Principal } from "../auth/principal.ts";

/** Where a worker is: `{lng, lat, crs?}` (core/geo/crs.ts), stored as WGS84 `{lng, lat}`. */
export const Point = z.pipe(pointInput(), z.transform(stored));
export const TimedPoint = z.pipe(pointInput({ at: z.iso.datetime({ offset: true }).check(z.maxLength(40)) }), z.transform(stored));

/** Photo keys issued by `POST /v1/uploads` to the caller (uploaded before use). */
export const Photos = z._default(z.array(z.strictObject({ key: z.string().check(z.minLength(1), z.maxLength(300), z.regex(S3_KEY, "a photo key from the upload answer")) })).check(z.maxLength(9)), []);

/** Photos must be the caller's own uploads and exist; errors name `<field>.N.key`. */
export async function checkPhotos(p: Principal, photos: Array<{ key: string }>, field = "photos"): Promise<void> {
  if (!photos.length) return;
  try {
    await confirmAttachments(photos, [`uploads/${p.kind}-${p.id}/`]);
  } catch (e) {
    if (e instanceof InvalidError) {
      const d = e.details as { fields?: Array<{ path: string; message: string }> } | undefined;
      throw new InvalidError(e.message, { fields: (d?.fields ?? []).map((f) => ({ ...f, path: f.path.replace(/^attachments/, field) })) });
    }
    throw e;
  }
}

/** Seconds an evidence photo link stays valid. */
export const EVIDENCE_SECONDS = 300;

/**
 * A short-lived presigned GET for a photo of a duty record the caller may see: the key must be one
 * of the record's photos (else 404, so keys cannot be probed).
 */
export async function evidenceLink(photos: Array<{ key: string }> | undefined, key: string): Promise<{ key: string; url: string; expiresInSeconds: number }> {
  if (!photos?.some((ph) => ph.key === key)) throw new NotFoundError("No such photo on this record");
  return { key, url: await presignDownload(key, EVIDENCE_SECONDS), expiresInSeconds: EVIDENCE_SECONDS };
}
