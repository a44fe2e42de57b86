import { api, reply } from "../http.ts";
import { reportCase } from "../../core/case/service.ts";

export const handler = api(async (req) => {
  const out = await reportCase(req.principal, req.body, req.now, req.headers["idempotency-key"]);
  return reply(out.replayed ? 200 : 201, out, out.replayed ? { "idempotent-replayed": "true" } : {});
});
