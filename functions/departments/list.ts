import { api } from "../http.ts";
import { listDepartments } from "../../core/department/service.ts";

export const handler = api((req) => listDepartments(req.principal, req.query));
