import { api } from "../http.ts";
import { refuseTask } from "../../core/duty/tasks.ts";

export const handler = api((req) => refuseTask(req.principal, req.params.id, req.body, req.now));
