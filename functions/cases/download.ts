import { api } from "../http.ts";
import { NotFoundError } from "../../core/errors.ts";
import { presignDownload } from "../../core/attachment/presign.ts";
import { getCase, timeline } from "../../core/case/repo.ts";
import { canSee } from "../../core/case/actor.ts";
import { downloadableKeys } from "../../core/case/public.ts";

/** `GET /v1/cases/{id}/attachments/{key+}`: a short-lived presigned GET for an attachment on this case's timeline. */
export const handler = api(async (req) => {
  const c = await getCase(req.params.id, false);
  if (!c || !canSee(req.principal, c)) throw new NotFoundError(`Case ${req.params.id} not found`);
  const key = req.params.key;
  const events = await timeline(c.id);
  // residents may download only the attachments shown to them (their own), core/case/public.ts
  if (!downloadableKeys(events, req.principal).has(key)) throw new NotFoundError("No such attachment on this case");
  return { key, url: await presignDownload(key), expiresInSeconds: 300 };
});
