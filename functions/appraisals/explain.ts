import { api } from "../http.ts";
import { explainAppraisal } from "../../core/appraisal/explain.ts";

export const handler = api((req) => explainAppraisal(req.principal, req.params.subject, req.params.id, req.params.period));
