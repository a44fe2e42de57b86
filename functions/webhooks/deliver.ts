import { attemptDelivery } from "../../core/webhook/attempt.ts";
import { DeliveryMessage } from "../../core/webhook/schema.ts";
import { logger } from "../../core/log.ts";
import { sqsConsumer } from "../sqs.ts";

/**
 * The webhooks queue: one message = one HTTP attempt of one delivery. Receiver failures are
 * recorded and retried by a new delayed message (never by throwing); a throw here means storage
 * or queue trouble, and SQS brings the message back.
 */
export const handler = sqsConsumer("webhooks", async (body) => {
  const msg = DeliveryMessage.safeParse(body);
  if (!msg.success) {
    logger.error("not a webhook delivery message", { issues: msg.error.issues.length });
    return; // nothing to retry
  }
  await attemptDelivery(msg.data);
});
