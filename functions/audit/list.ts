import { api } from "../http.ts";
import { parse } from "../../core/validate.ts";
import { AuditQuery, listAudit } from "../../core/audit/list.ts";

export const handler = api((req) => listAudit(parse(AuditQuery, req.query, "query"), req.now, req.principal));
