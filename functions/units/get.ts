import { api } from "../http.ts";
import { readUnit } from "../../core/unit/read.ts";

export const handler = api((req) => readUnit(req.principal, req.params.id));
