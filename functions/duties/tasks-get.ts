import { api } from "../http.ts";
import { readTask } from "../../core/duty/tasks.ts";

export const handler = api((req) => readTask(req.principal, req.params.id, req.now));
