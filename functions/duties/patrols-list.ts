import { api } from "../http.ts";
import { listPatrols } from "../../core/duty/patrols.ts";

export const handler = api((req) => listPatrols(req.principal, req.query));
