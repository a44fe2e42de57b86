import { api, reply } from "../http.ts";
import { startHandover } from "../../core/user/handover.ts";

/**
 * `POST /v1/users/{id}/handover {successorId?}` → 202 `{jobId, userId, successorId, job}`; poll
 * `GET /v1/jobs/{id}`. A repeated request (same Idempotency-Key, or while the handover runs) answers
 * 200 with the same job.
 */
export const handler = api(async (req) => {
  const out = await startHandover(req.principal, req.params.id, req.body, req.now, req.headers["idempotency-key"]);
  return reply(out.replayed ? 200 : 202, { jobId: out.job.id, userId: req.params.id, successorId: out.successorId, job: out.job }, { location: `/v1/jobs/${out.job.id}`, ...(out.replayed ? { "idempotent-replayed": "true" } : {}) });
});
