import { api } from "../http.ts";
import { listScoringRuleVersions } from "../../core/appraisal/rules.ts";

export const handler = api((req) => listScoringRuleVersions(req.query));
