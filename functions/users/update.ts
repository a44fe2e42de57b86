import { api } from "../http.ts";
import { updateStaff } from "../../core/user/service.ts";

export const handler = api((req) => updateStaff(req.principal, req.params.id, req.body, req.now));
