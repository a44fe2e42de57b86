import { api } from "../http.ts";
import { readAppraisal } from "../../core/appraisal/service.ts";

export const handler = api((req) => readAppraisal(req.principal, req.params.subject, req.params.id, req.params.period));
