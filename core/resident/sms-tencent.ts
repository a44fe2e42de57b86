import type { Agent } from "node:http";
import { SmsError, type CodeMessage, type SmsConfig, type SmsSender } from "./sms.ts";

type TencentConfig = Extract<SmsConfig, { provider: "tencent" }>;

/**
 * Tencent Cloud SMS (API 2021-01-11, `SendSms`) through its official SDK, signed TC3-HMAC-SHA256.
 * The service name in the signature is the first label of the endpoint (`sms.tencentcloudapi.com`).
 * Errors: the request's `Response.Error.Code`, or the per-number `SendStatusSet[0].Code`.
 * Codes: https://cloud.tencent.com/document/product/382/52075
 * `agent` is for tests (resolving the endpoint's host name to a loopback fake).
 */
export async function tencentSender(cfg: TencentConfig, opts: { agent?: Agent } = {}): Promise<SmsSender> {
  const mod = await import("tencentcloud-sdk-nodejs-sms");
  const sdk = (mod as unknown as { default?: typeof mod }).default?.sms ? (mod as unknown as { default: typeof mod }).default : mod;
  const Client = sdk.sms.v20210111.Client;
  const endpoint = cfg.endpoint ? new URL(cfg.endpoint) : undefined;
  const client = new Client({
    credential: { secretId: cfg.secretId, secretKey: cfg.secretKey },
    region: cfg.region,
    profile: {
      signMethod: "TC3-HMAC-SHA256",
      httpProfile: {
        reqMethod: "POST",
        reqTimeout: 5,
        endpoint: endpoint ? endpoint.host : "sms.tencentcloudapi.com",
        protocol: endpoint ? `${endpoint.protocol}//` : "https://",
        ...(opts.agent ? { agent: opts.agent } : {}),
      },
    },
  });
  return {
    name: "tencent",
    async sendCode(m: CodeMessage) {
      let status: { Code?: string; Message?: string } | undefined;
      try {
        const out = await client.SendSms({
          PhoneNumberSet: [`+86${m.phone}`],
          SmsSdkAppId: cfg.sdkAppId,
          SignName: cfg.signName,
          TemplateId: cfg.templateId,
          TemplateParamSet: cfg.templateParams === 2 ? [m.code, String(m.minutes)] : [m.code],
        });
        status = out.SendStatusSet?.[0];
      } catch (e) {
        throw fromThrown(e);
      }
      if (status?.Code !== "Ok") throw fromCode(status?.Code ?? "missing", status?.Message ?? "");
    },
  };
}

export function fromCode(code: string, message: string): SmsError {
  if (/^InvalidParameterValue\.(IncorrectPhoneNumber|ProhibitedUseUrlInTemplateParameter)$|^FailedOperation\.(PhoneNumberInBlacklist|PhoneNumberParseFail)$|^UnsupportedOperation\.(ContainDomesticAndInternationalPhoneNumber|UnsupportedRegion)$/.test(code)) {
    return new SmsError("invalid_phone", code, message);
  }
  if (/^LimitExceeded\.(PhoneNumber|DeliveryFrequencyLimit|AppDailyLimit|AppCountryOrRegionDailyLimit|AppMainlandChinaDailyLimit|DailyLimit)/.test(code) || code.startsWith("RequestLimitExceeded")) {
    const seconds = /ThirtySecond/.test(code) ? 30 : /OneHour/.test(code) ? 3600 : /Daily/.test(code) ? 86_400 : undefined;
    return new SmsError("throttled", code, message, { retryAfterSeconds: seconds });
  }
  if (/^(FailedOperation\.(TemplateIncorrectOrUnapproved|SignatureIncorrectOrUnapproved|MissingTemplateToModify|MissingSignature|InsufficientBalanceInSmsPackage|TemplateParamSetNotMatchApprovedTemplate)|InvalidParameterValue\.(TemplateParameterFormatError|TemplateParameterLengthLimit|SdkAppIdNotExist|MissingSignatureList)|UnauthorizedOperation\..*|AuthFailure\..*|InvalidParameter\..*)$/.test(code)) {
    return new SmsError("misconfigured", code, message);
  }
  return new SmsError("unavailable", code, message);
}

function fromThrown(e: unknown): SmsError {
  const err = e as { code?: string; message?: string; httpCode?: number };
  if (err.code) return fromCode(err.code, err.message ?? "");
  const text = err.message ?? String(e);
  return new SmsError("unavailable", err.httpCode ? `HTTP ${err.httpCode}` : "network", text, { notSent: /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(text) });
}
