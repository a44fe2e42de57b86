import { api, reply } from "../http.ts";
import { requestTask } from "../../core/duty/tasks.ts";

export const handler = api(async (req) => reply(201, await requestTask(req.principal, req.body, req.now)));
