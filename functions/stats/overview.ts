import { api } from "../http.ts";
import { overview } from "../../core/stats/overview.ts";

/** `GET /v1/stats/overview`: exact month/today/open figures from the aggregates (dashboard, big screen). */
export const handler = api((req) => overview(req.principal, req.query, req.now));
