import { z } from "zod";
import { confirmAttachments } from "../attachment/presign.ts";
import { InvalidError } from "../errors.ts";
import type { Principal } from "../auth/principal.ts";

export const Point = z.object({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }).strict();
export const TimedPoint = z.object({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90), at: z.iso.datetime({ offset: true }) }).strict();

/** Photo keys issued by `POST /v1/uploads` to the caller (uploaded before use). */
export const Photos = z
  .array(z.object({ key: z.string().min(1).max(300) }).strict())
  .max(9)
  .default([]);

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
