import type { Agent } from "node:http";
import { getParameter } from "../auth/secret.ts";
import { clock } from "../clock.ts";
import { UnavailableError } from "../errors.ts";
import { logger } from "../log.ts";
import { logSender, SmsConfig, type SmsSender } from "./sms.ts";

/**
 * The stage's SMS sender. Imported only by the code-sending function (functions/residents/code.ts,
 * its own area function `sms`). The adapters are small signed HTTPS requests without a provider SDK
 * (issue #15: the SDKs made the function 1,581 KB loaded); each is still loaded by dynamic import,
 * so a container reads only its county's provider.
 *
 * Configuration: the SST secret SMS_CONFIG (JSON, see `SmsConfig`), read from SSM with the one
 * signed GetParameter of core/auth/secret.ts; locally `WANGGE_SMS_CONFIG` may hold the same JSON.
 * Without either, the local stage logs codes (log sender) and any other stage answers 503.
 */
const TTL_MS = 5 * 60_000;
let cached: { at: number; sender: Promise<SmsSender> } | undefined;

export async function stageSmsSender(stage: string | undefined, env: Record<string, string | undefined> = process.env): Promise<SmsSender> {
  const now = clock.now().getTime();
  if (!cached || now - cached.at >= TTL_MS) {
    const entry = { at: now, sender: resolve(stage, env) };
    entry.sender.catch(() => {
      if (cached === entry) cached = undefined;
    });
    cached = entry;
  }
  return cached.sender;
}

/** Forget the cached sender (tests; a changed secret reaches warm containers within TTL_MS anyway). */
export function resetSmsSender(): void {
  cached = undefined;
}

async function resolve(stage: string | undefined, env: Record<string, string | undefined>): Promise<SmsSender> {
  const raw = await configText(env);
  if (!raw) {
    if (stage === "local") return logSender;
    logger.error("OPERATOR: no SMS_CONFIG secret on this stage; residents cannot receive codes (docs/deploy.md \"SMS\")");
    throw new UnavailableError(300, "SMS is not configured for this deployment");
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const parsed = SmsConfig.safeParse(json);
  if (!parsed.success) {
    // field names only: the secret's values never reach a log
    logger.error("OPERATOR: SMS_CONFIG is not valid JSON of the documented shape", { fields: parsed.error?.issues.map((i) => i.path.join(".")) ?? [] });
    throw new UnavailableError(300, "SMS is not configured correctly for this deployment");
  }
  return senderFor(parsed.data);
}

/** An adapter for a configuration (dynamic import of that provider's adapter only). `agent`: tests only. */
export async function senderFor(cfg: SmsConfig, opts: { agent?: Agent } = {}): Promise<SmsSender> {
  if (cfg.provider === "aliyun") return (await import("./sms-aliyun.ts")).aliyunSender(cfg, opts);
  return (await import("./sms-tencent.ts")).tencentSender(cfg, opts);
}

async function configText(env: Record<string, string | undefined>): Promise<string | undefined> {
  if (env.WANGGE_SMS_CONFIG) return env.WANGGE_SMS_CONFIG;
  if (!env.SST_APP || !env.SST_STAGE || !env.SMS_CONFIGURED) return undefined;
  return getParameter(`/sst/${env.SST_APP}/${env.SST_STAGE}/Secret/SMS_CONFIG/value`);
}
