import { api } from "../http.ts";
import { addPatrolPoints } from "../../core/duty/patrols.ts";

export const handler = api((req) => addPatrolPoints(req.principal, req.params.id, req.body));
