import { api, rawReply } from "../http.ts";
import { jobErrorReport } from "../../core/job/service.ts";

/** `GET /v1/jobs/{id}/errors.csv`: the rejected rows of a job (`line,reason`). */
export const handler = api(async (req) =>
  rawReply(200, await jobErrorReport(req.principal, req.params.id), "text/csv; charset=utf-8", { "content-disposition": `attachment; filename="${req.params.id}-errors.csv"` }),
);
