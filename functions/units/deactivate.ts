import { api } from "../http.ts";
import { deactivateUnit } from "../../core/unit/service-core.ts";

export const handler = api((req) => deactivateUnit(req.principal, req.params.id, req.body, req.now));
