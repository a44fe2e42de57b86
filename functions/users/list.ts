import { api } from "../http.ts";
import { listStaff } from "../../core/user/service.ts";

export const handler = api((req) => listStaff(req.principal, req.query));
