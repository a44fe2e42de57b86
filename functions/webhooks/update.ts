import { api } from "../http.ts";
import { updateWebhook } from "../../core/webhook/service.ts";

export const handler = api((req) => updateWebhook(req.principal, req.params.id, req.body, req.now));
