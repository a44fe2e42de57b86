import { api } from "../http.ts";
import { listStaff } from "../../core/user/list.ts";

export const handler = api((req) => listStaff(req.principal, req.query));
