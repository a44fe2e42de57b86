import { api } from "../http.ts";
import { listMissedPatrols } from "../../core/duty/patrols.ts";

export const handler = api((req) => listMissedPatrols(req.principal, req.query, req.now));
