import { api } from "../http.ts";
import { updateUnit } from "../../core/unit/service.ts";

export const handler = api((req) => updateUnit(req.principal, req.params.id, req.body, req.now));
