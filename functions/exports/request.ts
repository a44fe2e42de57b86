import { api, reply } from "../http.ts";
import { requestExport } from "../../core/export/service.ts";

export const handler = api(async (req) => reply(201, await requestExport(req.principal, req.body, req.now)));
