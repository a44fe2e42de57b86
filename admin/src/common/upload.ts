/**
 * Attachments go straight to the bucket: ask the API for a presigned PUT (`POST /v1/uploads`
 * before a report, `POST /v1/cases/{id}/attachments` on a case), PUT the file there, then send
 * `attachments: [{key, kind}]` with the report or action, which checks the object.
 */
import { HttpError } from "react-admin";
import { api } from "../http.ts";

export type UploadTag = "before" | "after" | "handling" | "verification" | "other";

export interface Attachment {
  key: string;
  kind: "photo" | "voice" | "video" | "file";
}

interface Presigned {
  key: string;
  kind?: Attachment["kind"];
  uploadUrl: string;
  method?: string;
  headers?: Record<string, string>;
}

/** Content types the API accepts for attachments. */
export const ATTACHMENT_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic", "audio/mpeg", "audio/mp4", "audio/amr", "audio/wav"];
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Why a file cannot be attached (a translation key), or undefined. */
export function attachmentProblem(file: { type: string; size: number }): string | undefined {
  if (!ATTACHMENT_TYPES.includes(file.type)) return "app.upload.bad_type";
  if (file.size > MAX_ATTACHMENT_BYTES) return "app.upload.too_large";
  if (file.size < 1) return "app.upload.empty";
  return undefined;
}

type Put = (url: string, init: RequestInit) => Promise<Response>;

/** Upload one file through `presignPath`; resolves to the attachment to send. */
export async function uploadAttachment(presignPath: string, file: File | Blob, tag: UploadTag, put: Put = (u, i) => fetch(u, i)): Promise<Attachment> {
  const problem = attachmentProblem(file);
  if (problem) throw new HttpError(problem, 400, { code: "invalid", serverMessage: "", details: null });
  const { json } = await api<Presigned>(presignPath, { method: "POST", body: { contentType: file.type, size: file.size, tag } });
  let res: Response;
  try {
    res = await put(json.uploadUrl, { method: json.method ?? "PUT", headers: json.headers ?? { "content-type": file.type }, body: file });
  } catch {
    throw new HttpError("app.upload.failed", 0, { code: "network", serverMessage: "", details: null });
  }
  if (!res.ok) throw new HttpError("app.upload.failed", res.status, { code: "upload", serverMessage: `upload failed (${res.status})`, details: null });
  return { key: json.key, kind: json.kind ?? (file.type.startsWith("audio/") ? "voice" : "photo") };
}

/** Upload several files one after the other (the order of the photos is kept). */
export async function uploadAll(presignPath: string, files: readonly (File | Blob)[], tag: UploadTag, put?: Put): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const f of files) out.push(await uploadAttachment(presignPath, f, tag, put));
  return out;
}

/** The API path of an attachment's presigned download (`{key+}` keeps its slashes). */
export const attachmentPath = (caseId: string, key: string): `/v1/cases/${string}/attachments/${string}` =>
  `/v1/cases/${encodeURIComponent(caseId)}/attachments/${key.split("/").map(encodeURIComponent).join("/")}`;
