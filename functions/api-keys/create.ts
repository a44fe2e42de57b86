import { api, reply } from "../http.ts";
import { createApiKey } from "../../core/apikey/service.ts";

export const handler = api(async (req) => reply(201, await createApiKey(req.principal, req.body, req.now)));
