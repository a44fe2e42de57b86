import * as z from "zod/mini";
import { InvalidError, RateLimitedError, UnavailableError } from "../errors.ts";
import { logger } from "../log.ts";

/**
 * Sending verification codes by SMS (docs/partner-api.md "SMS providers"). The adapters
 * (core/resident/sms-aliyun.ts, sms-tencent.ts) are signed HTTPS requests without a provider SDK
 * (core/resident/sms-http.ts), loaded with a dynamic import by core/resident/sms-providers.ts, which
 * only the code-sending function imports.
 */
export interface CodeMessage {
  /** mainland mobile number, 11 digits */
  phone: string;
  code: string;
  /** validity shown in the template */
  minutes: number;
}

export interface SmsSender {
  readonly name: string;
  /** Send one code. Throws SmsError for provider refusals; must not retry an ambiguous failure. */
  sendCode(m: CodeMessage): Promise<void>;
}

/**
 * What a provider refusal means for the caller:
 * - `invalid_phone`: the number cannot receive SMS → 400 on `phone`
 * - `throttled`: the provider's own per-number or per-account limits → 429 with Retry-After
 * - `misconfigured`: sign name, template or credentials refused → 503 and an operator log line
 * - `unavailable`: anything else (timeouts, provider errors) → 503
 */
export type SmsFailure = "invalid_phone" | "throttled" | "misconfigured" | "unavailable";

export class SmsError extends Error {
  readonly kind: SmsFailure;
  readonly providerCode: string;
  readonly retryAfterSeconds?: number;
  /** true when the request certainly never reached the provider (connection refused): safe to retry */
  readonly notSent: boolean;
  constructor(kind: SmsFailure, providerCode: string, message: string, opts: { retryAfterSeconds?: number; notSent?: boolean } = {}) {
    super(message);
    this.kind = kind;
    this.providerCode = providerCode;
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.notSent = opts.notSent ?? false;
  }
}

/** Seconds a caller waits after the provider throttled a number, when the provider does not say. */
export const PROVIDER_THROTTLE_SECONDS = 60;

const mask = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;
/** A provider or transport message fit for a log: no URLs (Aliyun's request has the number in its query), no phone numbers. */
const clean = (s: string) => s.replace(/https?:\/\/\S+/g, "<url>").replace(/\d{11}/g, "<phone>").slice(0, 300);

/** Local stage only: the message is logged (the phone masked) instead of sent. */
export const logSender: SmsSender = {
  name: "log",
  async sendCode(m: CodeMessage) {
    logger.warn("sms not sent (local stage), logged instead", { to: mask(m.phone), text: `【网格服务】您的验证码是 ${m.code}，${m.minutes} 分钟内有效。` });
  },
};

/**
 * Send a code at most once. The adapters make one attempt each; a failure is retried once only
 * when the request never reached the provider (`notSent`: connection refused). A timeout or a
 * dropped answer may have been delivered, so it is never retried (the resident may ask again after
 * the per-phone minute). Provider errors become API errors; misconfiguration logs an operator line.
 */
export async function sendCodeOnce(sender: SmsSender, m: CodeMessage): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sender.sendCode(m);
      return;
    } catch (e) {
      if (e instanceof SmsError && e.notSent && attempt < 2) continue;
      const api = toApiError(sender.name, e, m.phone);
      api.cause = e;
      throw api;
    }
  }
}

/**
 * Did this failure of {@link sendCodeOnce} certainly send nothing, through no doing of the resident?
 * True for a refused configuration (sign name, template, credentials, balance: `misconfigured`) and
 * a provider never reached (`notSent`, twice). False for a throttled answer (the provider counted
 * it: so do we), an unreachable number, and a timeout or lost answer (the SMS may have been
 * delivered, so the per-phone minute stands and no second SMS follows at once).
 */
export function sentNothing(e: unknown): boolean {
  const cause = e instanceof Error && e.cause instanceof SmsError ? e.cause : e instanceof SmsError ? e : undefined;
  return !!cause && (cause.kind === "misconfigured" || cause.notSent);
}

function toApiError(provider: string, e: unknown, phone: string): Error {
  const err = e instanceof SmsError ? e : new SmsError("unavailable", "unknown", e instanceof Error ? e.message : String(e));
  const context = { provider, providerCode: err.providerCode, to: mask(phone) };
  switch (err.kind) {
    case "invalid_phone":
      logger.info("sms refused: invalid phone number", context);
      return new InvalidError("This number cannot receive SMS codes", { fields: [{ path: "phone", message: "not a reachable mobile number" }] });
    case "throttled":
      logger.warn("sms provider throttled", context);
      return new RateLimitedError(err.retryAfterSeconds ?? PROVIDER_THROTTLE_SECONDS, "Too many codes for this number; try again later");
    case "misconfigured":
      // for the operator: the county's SMS account, sign name or template must be fixed (docs/deploy.md "SMS")
      logger.error("OPERATOR: SMS provider refused the configuration (sign name, template or credentials); fix the stage's SMS_CONFIG secret", { ...context, providerMessage: clean(err.message) });
      return new UnavailableError(300, "Codes cannot be sent at the moment; the county has been told");
    default:
      logger.warn("sms provider unavailable", { ...context, error: clean(err.message) });
      return new UnavailableError(30, "The SMS could not be sent; try again later");
  }
}

/**
 * The stage's SMS settings, kept in the SST secret SMS_CONFIG as JSON (credentials, sign name and
 * template ids are never in code, in the function's configuration or in logs). `endpoint` is for
 * tests against a loopback fake and for private endpoints.
 */
export const SmsConfig = z.discriminatedUnion("provider", [
  z.object({
    provider: z.literal("aliyun"),
    accessKeyId: z.string().check(z.minLength(1)),
    accessKeySecret: z.string().check(z.minLength(1)),
    signName: z.string().check(z.minLength(1)),
    /** SMS_123456789; the template takes `${code}` (and optionally `${minutes}`) */
    templateCode: z.string().check(z.minLength(1)),
    regionId: z._default(z.string(), "cn-hangzhou"),
    endpoint: z.optional(z.string()),
  }),
  z.object({
    provider: z.literal("tencent"),
    secretId: z.string().check(z.minLength(1)),
    secretKey: z.string().check(z.minLength(1)),
    /** SmsSdkAppId, e.g. 1400006666 */
    sdkAppId: z.string().check(z.minLength(1)),
    signName: z.string().check(z.minLength(1)),
    /** template id; its variables are {1} = code and, when templateParams is 2, {2} = minutes */
    templateId: z.string().check(z.minLength(1)),
    templateParams: z._default(z.union([z.literal(1), z.literal(2)]), 1),
    region: z._default(z.string(), "ap-guangzhou"),
    endpoint: z.optional(z.string()),
  }),
]);
export type SmsConfig = z.infer<typeof SmsConfig>;
