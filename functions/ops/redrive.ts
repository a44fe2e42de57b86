import { api } from "../http.ts";
import { redrive } from "../../core/ops/redrive.ts";

/** `POST /v1/ops/queues/{queue}/redrive`: dead-lettered messages back to their queue (audited). */
export const handler = api((req) => redrive(req.principal, req.params.queue, req.body, req.now));
