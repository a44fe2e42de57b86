import { api } from "../http.ts";
import { approveExport } from "../../core/export/service.ts";

export const handler = api((req) => approveExport(req.principal, req.params.id, req.body, req.now));
