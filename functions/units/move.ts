import { api } from "../http.ts";
import { moveUnit } from "../../core/unit/service-move.ts";

export const handler = api((req) => moveUnit(req.principal, req.params.id, req.body, req.now));
