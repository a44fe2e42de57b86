import { api } from "../http.ts";
import { endPatrol } from "../../core/duty/patrols.ts";

export const handler = api((req) => endPatrol(req.principal, req.params.id, req.body, req.now));
