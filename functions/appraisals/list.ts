import { api } from "../http.ts";
import { listAppraisals } from "../../core/appraisal/service.ts";

export const handler = api((req) => listAppraisals(req.principal, req.query));
