import { api, reply } from "../http.ts";
import { redeliver } from "../../core/webhook/service.ts";

/** 202: the delivery is queued again. */
export const handler = api(async (req) => reply(202, await redeliver(req.principal, req.params.id, req.params.deliveryId, req.now)));
