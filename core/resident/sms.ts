import { UnavailableError } from "../errors.ts";
import { logger } from "../log.ts";

/** Sends one SMS. Implementations wrap a provider (Aliyun, Tencent Cloud SMS…); none is bundled yet. */
export interface SmsSender {
  readonly name: string;
  send(phone: string, text: string): Promise<void>;
}

/** Local stage only: the message is logged (the phone masked) instead of sent. */
export const logSender: SmsSender = {
  name: "log",
  async send(phone: string, text: string) {
    logger.warn("sms not sent (local stage), logged instead", { to: `${phone.slice(0, 3)}****${phone.slice(-4)}`, text });
  },
};

let configured: SmsSender | undefined;

/** Install the provider adapter (at container start, from configuration). */
export function useSmsSender(sender: SmsSender | undefined): void {
  configured = sender;
}

/** The sender for this stage: the installed adapter, else the log sender on the local stage, else 503. */
export function smsSender(stage: string | undefined): SmsSender {
  if (configured) return configured;
  if (stage === "local") return logSender;
  throw new UnavailableError(60, "SMS is not configured for this deployment");
}
