import { api } from "../http.ts";
import { readExport } from "../../core/export/service.ts";

export const handler = api((req) => readExport(req.principal, req.params.id));
