import { api, reply } from "../http.ts";
import { createUnit } from "../../core/unit/service.ts";

export const handler = api(async (req) => reply(201, await createUnit(req.principal, req.body, req.now)));
