import { api, reply } from "../http.ts";
import { startPatrol } from "../../core/duty/patrols.ts";

export const handler = api(async (req) => reply(201, await startPatrol(req.principal, req.body, req.now)));
