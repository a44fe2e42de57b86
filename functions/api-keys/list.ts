import { api } from "../http.ts";
import { listApiKeys } from "../../core/apikey/service.ts";

export const handler = api((req) => listApiKeys(req.principal, req.query));
