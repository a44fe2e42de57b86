import { getRequest, requireCaller } from "../../core/open311/service.ts";
import { open311 } from "./respond.ts";

/** `GET /open311/v2/requests/{service_request_id}.{json,xml}` (api_key with cases:read). */
export const handler = open311(async (req) => {
  const p = requireCaller(await req.caller(), "cases:read");
  return { root: "service_requests", value: await getRequest(p, req.id, req.query) };
});
