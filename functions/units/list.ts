import { api } from "../http.ts";
import { listUnits } from "../../core/unit/read.ts";

export const handler = api((req) => listUnits(req.principal, req.query));
