import { ulid } from "ulid";
import * as z from "zod/mini";
import { headS3Object } from "../s3-object.ts";
import { presignS3 } from "../s3-presign.ts";
import { InvalidError } from "../errors.ts";
import { claimUploads } from "./pending.ts";

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const TYPES: Record<string, { ext: string; kind: "photo" | "voice" | "video" }> = {
  "image/jpeg": { ext: "jpg", kind: "photo" },
  "image/png": { ext: "png", kind: "photo" },
  "image/webp": { ext: "webp", kind: "photo" },
  "image/heic": { ext: "heic", kind: "photo" },
  "audio/mpeg": { ext: "mp3", kind: "voice" },
  "audio/mp4": { ext: "m4a", kind: "voice" },
  "audio/amr": { ext: "amr", kind: "voice" },
  "audio/wav": { ext: "wav", kind: "voice" },
};

export const UploadRequest = z.object({
  contentType: z.string().check(z.maxLength(100), z.refine((t) => Object.hasOwn(TYPES, t), { message: `one of ${Object.keys(TYPES).join(", ")}` })),
  size: z.number().check(z.int(), z.gte(1), z.lte(MAX_ATTACHMENT_BYTES, `at most ${MAX_ATTACHMENT_BYTES} bytes (10 MiB)`)),
  tag: z._default(z.enum(["before", "after", "handling", "verification", "other"]), "other"),
});

const EXPIRES = 900;

/** A presigned PUT for one attachment under `prefix`; the object is checked when an action uses it. */
export async function presignUpload(prefix: string, input: z.infer<typeof UploadRequest>, now: Date) {
  const t = TYPES[input.contentType];
  const key = `${prefix}${ulid(now.getTime())}-${input.tag}.${t.ext}`;
  const url = await presignS3("PUT", key, { expiresIn: EXPIRES, headers: { "content-type": input.contentType, "content-length": String(input.size) } });
  return { key, kind: t.kind, uploadUrl: url, method: "PUT", headers: { "content-type": input.contentType }, expiresAt: new Date(now.getTime() + EXPIRES * 1000).toISOString() };
}

export async function presignDownload(key: string, seconds = 300): Promise<string> {
  return presignS3("GET", key, { expiresIn: seconds });
}

/**
 * Confirm attachments on use: each key must be under one of the allowed prefixes, exist in the
 * bucket, be no larger than 10 MiB and have an accepted type.
 */
export async function confirmAttachments(attachments: Array<{ key: string }>, allowedPrefixes: string[]): Promise<void> {
  await Promise.all(
    attachments.map(async (a, i) => {
      const field = { path: `attachments.${i}.key` };
      if (!allowedPrefixes.some((p) => a.key.startsWith(p)) || a.key.includes("..")) {
        throw new InvalidError("Attachment key was not issued for this case or caller", { fields: [{ ...field, message: "unknown attachment" }] });
      }
      // one HeadObject without the S3 client (core/s3-object.ts); only "no such object" is the
      // caller's fault, a throttled or failing S3 is not (it throws: 503 upstream)
      const head = await headS3Object(a.key);
      if (!head) throw new InvalidError("Attachment was not uploaded", { fields: [{ ...field, message: "upload it with the presigned URL first" }] });
      if (head.size > MAX_ATTACHMENT_BYTES) throw new InvalidError("Attachment is larger than 10 MiB", { fields: [{ ...field, message: "too large" }] });
      if (head.contentType && !Object.hasOwn(TYPES, head.contentType.split(";")[0])) throw new InvalidError("Attachment type is not accepted", { fields: [{ ...field, message: head.contentType }] });
    }),
  );
  // attached now: never deleted as an unattached upload (core/attachment/pending.ts); one the retention job expired is refused
  await claimUploads(attachments.map((a) => a.key));
}
