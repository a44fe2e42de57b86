import { api } from "../http.ts";
import { readCase } from "../../core/case/service.ts";

export const handler = api((req) => readCase(req.principal, req.params.id, req.now));
