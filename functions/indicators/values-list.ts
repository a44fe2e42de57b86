import { api } from "../http.ts";
import { listIndicatorValues } from "../../core/indicator/service.ts";

export const handler = api((req) => listIndicatorValues(req.principal, req.query));
