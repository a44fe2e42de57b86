import { api } from "../http.ts";
import { completeTaskUnit } from "../../core/duty/tasks.ts";

export const handler = api((req) => completeTaskUnit(req.principal, req.params.id, req.params.unitId, req.body, req.now));
