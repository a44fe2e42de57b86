import { SmsError, type CodeMessage, type SmsConfig, type SmsSender } from "./sms.ts";

type AliyunConfig = Extract<SmsConfig, { provider: "aliyun" }>;

/**
 * Alibaba Cloud SMS (dysmsapi 2017-05-25, `SendSms`) through its official SDK. The SDK signs with
 * ACS3-HMAC-SHA256 (signature V3); its retries stay off (no `retryOptions`: one attempt per call). Business
 * refusals come back as HTTP 200 with a `Code` other than `OK`, protocol errors as 4xx/5xx.
 * Codes: https://help.aliyun.com/zh/sms/developer-reference/api-error-codes
 */
export async function aliyunSender(cfg: AliyunConfig): Promise<SmsSender> {
  const [dysms, core] = await Promise.all([import("@alicloud/dysmsapi20170525"), import("@alicloud/openapi-core")]);
  // CommonJS compiled by tsc (exports.default = Client): Node gives module.exports as the default, bundlers may give the class
  const lib = (dysms.default as unknown as { default?: unknown }).default ? (dysms.default as unknown as typeof dysms) : dysms;
  const Client = lib.default as unknown as new (config: unknown) => { sendSms(req: unknown): Promise<{ body?: { code?: string; message?: string } }> };
  const SendSmsRequest = lib.SendSmsRequest ?? dysms.SendSmsRequest;
  const $OpenApiUtil = core.$OpenApiUtil ?? (core.default as unknown as typeof core).$OpenApiUtil;
  const endpoint = cfg.endpoint ? new URL(cfg.endpoint) : undefined;
  const client = new Client(
    new $OpenApiUtil.Config({
      accessKeyId: cfg.accessKeyId,
      accessKeySecret: cfg.accessKeySecret,
      regionId: cfg.regionId,
      ...(endpoint ? { endpoint: endpoint.host, protocol: endpoint.protocol.replace(":", "") } : { endpoint: "dysmsapi.aliyuncs.com" }),
      connectTimeout: 3000,
      readTimeout: 5000,
    }),
  );
  return {
    name: "aliyun",
    async sendCode(m: CodeMessage) {
      const req = new SendSmsRequest({ phoneNumbers: m.phone, signName: cfg.signName, templateCode: cfg.templateCode, templateParam: JSON.stringify({ code: m.code, minutes: String(m.minutes) }) });
      let body: { code?: string; message?: string } | undefined;
      try {
        // no retryOptions in the config: the SDK makes exactly one attempt
        body = (await client.sendSms(req)).body;
      } catch (e) {
        throw fromThrown(e);
      }
      if (body?.code !== "OK") throw fromCode(body?.code ?? "missing", body?.message ?? "");
    },
  };
}

const INVALID_PHONE = new Set(["isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT", "isv.BLACK_KEY_CONTROL_LIMIT", "isv.DENY_IP_RANGE"]);
const THROTTLED = new Set(["isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "isv.MONTH_LIMIT_CONTROL"]);
const MISCONFIGURED = /^(isv\.(SMS_TEMPLATE_ILLEGAL|SMS_SIGNATURE_ILLEGAL|SMS_SIGN_ILLEGAL|TEMPLATE_MISSING_PARAMETERS|TEMPLATE_PARAMS_ILLEGAL|INVALID_PARAMETERS|SIGN_NAME_ILLEGAL|AMOUNT_NOT_ENOUGH|OUT_OF_SERVICE|ACCOUNT_NOT_EXISTS|ACCOUNT_ABNORMAL|PRODUCT_UN_SUBSCRIPT|PRODUCT_UNSUBSCRIBE|SMS_TEMPLATE_NOT_EXIST|SMS_SIGNATURE_NOT_EXIST)|InvalidAccessKeyId.*|SignatureDoesNotMatch|Forbidden.*|InvalidAccessKeySecret|IncompleteSignature)$/;

/**
 * How long a throttled number waits, from Aliyun's business flow control: `isv.BUSINESS_LIMIT_CONTROL`
 * says which window tripped in its message (documented as 触发分钟级流控 / 触发小时级流控 / 触发天级流控,
 * "Permits:n"); `isv.DAY_LIMIT_CONTROL` is the day. Unconfirmed against a real account (docs/deploy.md).
 */
function businessWait(code: string, message: string): number | undefined {
  if (code === "isv.DAY_LIMIT_CONTROL" || /天级|\bday\b/i.test(message)) return 86_400;
  if (/小时级|\bhour\b/i.test(message)) return 3600;
  if (/分钟级|\bminute\b/i.test(message)) return 60;
  return undefined;
}

export function fromCode(code: string, message: string, retryAfterSeconds?: number): SmsError {
  if (INVALID_PHONE.has(code)) return new SmsError("invalid_phone", code, message);
  if (THROTTLED.has(code) || code.includes("Throttling")) return new SmsError("throttled", code, message, { retryAfterSeconds: retryAfterSeconds ?? businessWait(code, message) });
  if (MISCONFIGURED.test(code)) return new SmsError("misconfigured", code, message);
  return new SmsError("unavailable", code, message);
}

function fromThrown(e: unknown): SmsError {
  const err = e as { code?: string; message?: string; retryAfter?: number; data?: { Code?: string } };
  const code = err.data?.Code ?? err.code;
  if (code && !/^(ECONN|ETIMEDOUT|EAI_|ENOTFOUND|ReadTimeout|ConnectTimeout)/.test(code)) return fromCode(code, err.message ?? "", err.retryAfter ? Math.ceil(err.retryAfter / 1000) : undefined);
  const text = `${code ?? ""} ${err.message ?? ""}`;
  return new SmsError("unavailable", code ?? "network", text.trim(), { notSent: /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(text) });
}
