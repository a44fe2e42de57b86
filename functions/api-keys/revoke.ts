import { api } from "../http.ts";
import { revokeApiKey } from "../../core/apikey/service.ts";

export const handler = api((req) => revokeApiKey(req.principal, req.params.id, req.now));
