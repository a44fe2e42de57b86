import { api } from "../http.ts";
import { readStaff } from "../../core/user/service.ts";

export const handler = api((req) => readStaff(req.principal, req.params.id));
