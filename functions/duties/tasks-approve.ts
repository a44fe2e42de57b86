import { api } from "../http.ts";
import { approveTask } from "../../core/duty/tasks.ts";

export const handler = api((req) => approveTask(req.principal, req.params.id, req.body, req.now));
