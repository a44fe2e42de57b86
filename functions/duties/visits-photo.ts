import { api, reply } from "../http.ts";
import { visitPhoto } from "../../core/duty/visits.ts";

/** `GET /v1/duties/households/{householdId}/visits/{visitId}/photos/{key+}?at=`: a short-lived link to a visit's photo. */
export const handler = api(async (req) =>
  reply(200, await visitPhoto(req.principal, req.params.householdId, req.params.visitId, req.query, req.params.key), { "cache-control": "no-store" }),
);
