import { api } from "../http.ts";
import { updateDepartment } from "../../core/department/service.ts";

export const handler = api((req) => updateDepartment(req.principal, req.params.id, req.body, req.now));
