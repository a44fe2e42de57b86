import { api } from "../http.ts";
import { readScoringRules } from "../../core/appraisal/rules.ts";

export const handler = api(() => readScoringRules());
