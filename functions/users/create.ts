import { api, reply } from "../http.ts";
import { createStaff } from "../../core/user/service.ts";

export const handler = api(async (req) => reply(201, await createStaff(req.principal, req.body, req.now)));
