import { api, reply } from "../http.ts";
import { createCategory } from "../../core/category/service.ts";

export const handler = api(async (req) => reply(201, await createCategory(req.principal, req.body, req.now)));
