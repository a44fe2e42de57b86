import { api } from "../http.ts";
import { appraisalMap } from "../../core/appraisal/explain.ts";

export const handler = api((req) => appraisalMap(req.principal, req.params.period, req.query));
