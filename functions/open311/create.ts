import { createRequest } from "../../core/open311/create.ts";
import { requireCaller } from "../../core/open311/caller.ts";
import { open311 } from "./respond.ts";

/** `POST /open311/v2/requests.{json,xml}` (form-encoded, api_key required): report a case on the partner channel. */
export const handler = open311(async (req) => {
  const p = requireCaller(await req.caller(), "cases:report");
  return { root: "service_requests", value: await createRequest(p, req.body, req.now, req.headers["idempotency-key"]), status: 201 };
});
