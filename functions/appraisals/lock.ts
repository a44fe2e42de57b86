import { api } from "../http.ts";
import { lockPeriod } from "../../core/appraisal/service.ts";

export const handler = api((req) => lockPeriod(req.principal, req.params.period, req.now));
