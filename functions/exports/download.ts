import { api, reply } from "../http.ts";
import { downloadExport } from "../../core/export/service.ts";

export const handler = api(async (req) => reply(200, await downloadExport(req.principal, req.params.id, req.now), { "cache-control": "no-store" }));
