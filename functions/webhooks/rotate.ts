import { api } from "../http.ts";
import { rotateWebhookSecret } from "../../core/webhook/service.ts";

/** The new secret is in this response only. */
export const handler = api((req) => rotateWebhookSecret(req.principal, req.params.id, req.now));
