import { api, reply } from "../http.ts";
import { createDefinition } from "../../core/indicator/service.ts";

export const handler = api(async (req) => reply(201, await createDefinition(req.principal, req.body, req.now)));
