import { api, reply } from "../http.ts";
import { createDepartment } from "../../core/department/service.ts";

export const handler = api(async (req) => reply(201, await createDepartment(req.principal, req.body, req.now)));
