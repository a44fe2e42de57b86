import { api } from "../http.ts";
import { listRuns } from "../../core/appraisal/service.ts";

export const handler = api((req) => listRuns(req.principal, req.query));
