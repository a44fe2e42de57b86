import { api } from "../http.ts";
import { listVisits } from "../../core/duty/visits.ts";

export const handler = api((req) => listVisits(req.principal, req.query));
