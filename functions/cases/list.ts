import { api } from "../http.ts";
import { listCases } from "../../core/case/service.ts";

export const handler = api((req) => listCases(req.principal, req.query, req.now));
