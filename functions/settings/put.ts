import { api } from "../http.ts";
import { putSettings } from "../../core/settings/service.ts";

export const handler = api((req) => putSettings(req.principal, req.body, req.now));
