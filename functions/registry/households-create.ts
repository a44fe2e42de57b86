import { api, reply } from "../http.ts";
import { createHousehold } from "../../core/registry/households.ts";

export const handler = api(async (req) => reply(201, await createHousehold(req.principal, req.body, req.now)));
