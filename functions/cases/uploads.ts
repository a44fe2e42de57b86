import { api, reply } from "../http.ts";
import { parse } from "../../core/validate.ts";
import { UploadRequest, presignUpload } from "../../core/attachment/presign.ts";
import { recordPendingUpload } from "../../core/attachment/pending.ts";

/**
 * `POST /v1/uploads`: a presigned PUT for an attachment of a case not reported yet (the report refers to its key).
 * Not attached within privacy.unattachedUploadRetentionHours, it is deleted (core/attachment/pending.ts).
 */
export const handler = api(async (req) => {
  const input = parse(UploadRequest, req.body, "upload");
  const up = await presignUpload(`uploads/${req.principal.kind}-${req.principal.id}/`, input, req.now);
  await recordPendingUpload(up.key, req.now);
  return reply(201, up);
});
