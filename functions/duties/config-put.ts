import { api } from "../http.ts";
import { putDutyConfig } from "../../core/duty/config.ts";

export const handler = api((req) => putDutyConfig(req.principal, req.body, req.now));
