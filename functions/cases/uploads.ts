import { api, reply } from "../http.ts";
import { parse } from "../../core/validate.ts";
import { UploadRequest, presignUpload } from "../../core/attachment/presign.ts";

/** `POST /v1/uploads`: a presigned PUT for an attachment of a case not reported yet (the report refers to its key). */
export const handler = api(async (req) => {
  const input = parse(UploadRequest, req.body, "upload");
  return reply(201, await presignUpload(`uploads/${req.principal.kind}-${req.principal.id}/`, input, req.now));
});
