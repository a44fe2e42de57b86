import { api, reply } from "../http.ts";
import { createWebhook } from "../../core/webhook/service.ts";

/** 201 with the signing secret: the only response that shows it. */
export const handler = api(async (req) => reply(201, await createWebhook(req.principal, req.body, req.now)));
