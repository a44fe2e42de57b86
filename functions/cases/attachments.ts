import { api, reply } from "../http.ts";
import { NotFoundError } from "../../core/errors.ts";
import { parse } from "../../core/validate.ts";
import { UploadRequest, presignUpload } from "../../core/attachment/presign.ts";
import { recordPendingUpload } from "../../core/attachment/pending.ts";
import { getCase } from "../../core/case/repo.ts";
import { canSee } from "../../core/case/actor.ts";

/** `POST /v1/cases/{id}/attachments`: a presigned PUT for a photo or voice note of this case. */
export const handler = api(async (req) => {
  const input = parse(UploadRequest, req.body, "upload");
  const c = await getCase(req.params.id, false);
  if (!c || !canSee(req.principal, c)) throw new NotFoundError(`Case ${req.params.id} not found`);
  const up = await presignUpload(`cases/${c.id}/`, input, req.now);
  // not used by an action within privacy.unattachedUploadRetentionHours, it is deleted (core/attachment/pending.ts)
  await recordPendingUpload(up.key, req.now);
  return reply(201, up);
});
