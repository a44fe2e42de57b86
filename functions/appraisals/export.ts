import { api, rawReply } from "../http.ts";
import { exportAppraisals } from "../../core/appraisal/service.ts";

/** CSV with a UTF-8 byte-order mark, as a download. */
export const handler = api(async (req) => {
  const { filename, csv } = await exportAppraisals(req.principal, req.params.period, req.query);
  return rawReply(200, csv, "text/csv; charset=utf-8", { "content-disposition": `attachment; filename="${filename}"` });
});
