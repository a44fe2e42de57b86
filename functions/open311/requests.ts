import { listRequests, requireCaller } from "../../core/open311/service.ts";
import { open311 } from "./respond.ts";

/** `GET /open311/v2/requests.{json,xml}` (api_key with cases:read): service requests in a window. */
export const handler = open311(async (req) => {
  const p = requireCaller(await req.caller(), "cases:read");
  return { root: "service_requests", value: await listRequests(p, req.query, req.now) };
});
