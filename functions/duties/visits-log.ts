import { api, reply } from "../http.ts";
import { logVisit } from "../../core/duty/visits.ts";

export const handler = api(async (req) => reply(201, await logVisit(req.principal, req.body, req.now)));
