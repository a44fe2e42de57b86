import { api } from "../http.ts";
import { getApiKey } from "../../core/apikey/service.ts";

export const handler = api((req) => getApiKey(req.principal, req.params.id));
