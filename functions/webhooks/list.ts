import { api } from "../http.ts";
import { listWebhooks } from "../../core/webhook/service.ts";

export const handler = api((req) => listWebhooks(req.principal, req.query));
