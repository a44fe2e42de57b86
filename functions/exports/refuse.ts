import { api } from "../http.ts";
import { refuseExport } from "../../core/export/service.ts";

export const handler = api((req) => refuseExport(req.principal, req.params.id, req.body, req.now));
