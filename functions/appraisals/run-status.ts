import { api } from "../http.ts";
import { readRun } from "../../core/appraisal/service.ts";

export const handler = api((req) => readRun(req.principal, req.params.period));
