import { api } from "../http.ts";
import { queueHealth } from "../../core/ops/queues.ts";

/** `GET /v1/ops/queues`: depth of every queue and its DLQ, and the consumer's last error (for admins). */
export const handler = api(async () => ({ items: await queueHealth(), nextCursor: null }));
