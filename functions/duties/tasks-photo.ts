import { api, reply } from "../http.ts";
import { taskPhoto } from "../../core/duty/tasks.ts";

/** `GET /v1/tasks/{id}/units/{unitId}/photos/{key+}`: a short-lived link to the photo of a grid's completion. */
export const handler = api(async (req) => reply(200, await taskPhoto(req.principal, req.params.id, req.params.unitId, req.params.key), { "cache-control": "no-store" }));
