import { api } from "../http.ts";
import { updateTaskType } from "../../core/duty/tasktypes.ts";

export const handler = api((req) => updateTaskType(req.principal, req.params.id, req.body, req.now));
