import { api } from "../http.ts";
import { listTasks } from "../../core/duty/tasks.ts";

export const handler = api((req) => listTasks(req.principal, req.query, req.now));
