import { api } from "../http.ts";
import { listTaskTypes } from "../../core/duty/tasktypes.ts";

export const handler = api((req) => listTaskTypes(req.principal, req.query));
