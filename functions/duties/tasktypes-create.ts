import { api, reply } from "../http.ts";
import { createTaskType } from "../../core/duty/tasktypes.ts";

export const handler = api(async (req) => reply(201, await createTaskType(req.principal, req.body, req.now)));
