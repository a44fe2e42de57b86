import { api } from "../http.ts";
import { listUnits } from "../../core/unit/service.ts";

export const handler = api((req) => listUnits(req.principal, req.query));
