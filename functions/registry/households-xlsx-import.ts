import { api, reply } from "../http.ts";
import { startXlsxImport } from "../../core/xlsx/import-start.ts";

/** `POST /v1/registry/households/import.xlsx {fileName, content}` (workbook in base64) → 202 `{jobId}`; poll `GET /v1/jobs/{id}`. */
export const handler = api(async (req) => {
  const out = await startXlsxImport(req.principal, "households", req.body, req.now, req.headers["idempotency-key"]);
  return reply(202, { jobId: out.jobId }, { location: `/v1/jobs/${out.jobId}`, ...(out.replayed ? { "idempotent-replayed": "true" } : {}) });
});
