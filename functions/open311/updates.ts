import { listUpdates, requireCaller } from "../../core/open311/service.ts";
import { open311 } from "./respond.ts";

/** `GET /open311/v2/servicerequestupdates.{json,xml}` (api_key with cases:read): the public timeline feed. */
export const handler = open311(async (req) => {
  const p = requireCaller(await req.caller(), "cases:read");
  return { root: "service_request_updates", value: await listUpdates(p, req.query, req.now) };
});
