import { api } from "../http.ts";
import { listOverdueVisits } from "../../core/duty/visits.ts";

export const handler = api((req) => listOverdueVisits(req.principal, req.query, req.now));
