import { api } from "../http.ts";
import { putScoringRules } from "../../core/appraisal/rules.ts";

export const handler = api((req) => putScoringRules(req.principal, req.body, req.now));
