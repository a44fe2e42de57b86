import { api } from "../http.ts";
import { listExports } from "../../core/export/service.ts";

export const handler = api((req) => listExports(req.principal, req.query));
