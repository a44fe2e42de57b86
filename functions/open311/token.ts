import { requireCaller, tokenLookup } from "../../core/open311/service.ts";
import { open311 } from "./respond.ts";

/** `GET /open311/v2/tokens/{token}.{json,xml}`: the service_request_id of a request sent with that Idempotency-Key. */
export const handler = open311(async (req) => {
  const p = requireCaller(await req.caller(), "cases:report");
  return { root: "service_requests", value: await tokenLookup(p, req.id, req.query) };
});
