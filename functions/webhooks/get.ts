import { api } from "../http.ts";
import { readWebhook } from "../../core/webhook/service.ts";

export const handler = api((req) => readWebhook(req.principal, req.params.id));
