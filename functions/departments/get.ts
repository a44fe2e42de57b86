import { api } from "../http.ts";
import { readDepartment } from "../../core/department/service.ts";

export const handler = api((req) => readDepartment(req.principal, req.params.id));
