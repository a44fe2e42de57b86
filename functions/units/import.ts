import { api, reply } from "../http.ts";
import { startUnitImport } from "../../core/unit/import-start.ts";

/**
 * `POST /v1/units/import?format=geojson|csv&mode=all|partial`: the file as the body (or
 * `{uploadKey, format, mode}` after `POST /v1/units/import-uploads`) → 202 `{jobId}`; poll `GET /v1/jobs/{id}`.
 */
export const handler = api(async (req) => {
  const out = await startUnitImport(
    req.principal,
    { query: req.query, contentType: req.headers["content-type"], body: req.body, rawBody: req.rawBody, idempotencyKey: req.headers["idempotency-key"] },
    req.now,
  );
  return reply(202, { jobId: out.jobId }, { location: `/v1/jobs/${out.jobId}`, ...(out.replayed ? { "idempotent-replayed": "true" } : {}) });
});
