import { api } from "../http.ts";
import { readTaskType } from "../../core/duty/tasktypes.ts";

export const handler = api((req) => readTaskType(req.principal, req.params.id));
