import { api, reply } from "../http.ts";
import { patrolPhoto } from "../../core/duty/patrols.ts";

/** `GET /v1/duties/patrols/{id}/photos/{key+}`: a short-lived link to a patrol's photo. */
export const handler = api(async (req) => reply(200, await patrolPhoto(req.principal, req.params.id, req.params.key), { "cache-control": "no-store" }));
