import type { Agent } from "node:http";
import { clock } from "../clock.ts";
import { SmsError, type CodeMessage, type SmsConfig, type SmsSender } from "./sms.ts";
import { hmacSha256, send, sha256hex, TransportError, type Answer } from "./sms-http.ts";

type TencentConfig = Extract<SmsConfig, { provider: "tencent" }>;

/**
 * Tencent Cloud SMS (API 2021-01-11, `SendSms`) as one signed HTTPS request, without an SDK. It is
 * the request the official SDK (`tencentcloud-sdk-nodejs-sms` 4.1.306) sends — same body, same
 * signed headers and Authorization (core/resident/sms-sdk-equivalence.test.ts) — without the SDK's
 * unsigned extras (X-TC-RequestClient, X-TC-TraceId): `POST /` with a JSON body, signed
 * TC3-HMAC-SHA256 (https://cloud.tencent.com/document/api/382/52071) over `content-type;host`,
 * service `sms` (the SDK took the endpoint's first label, which is `sms` for every SMS endpoint);
 * the SDK's timeouts (5 s to the answer's headers, 5 s more for its body); one attempt.
 * Errors: the request's `Response.Error.Code`, or the per-number `SendStatusSet[0].Code`.
 * Codes: https://cloud.tencent.com/document/product/382/52075
 * `agent` is for tests (resolving the endpoint's host name to a loopback fake).
 */
export async function tencentSender(cfg: TencentConfig, opts: { agent?: Agent } = {}): Promise<SmsSender> {
  const url = new URL("/", cfg.endpoint ?? "https://sms.tencentcloudapi.com");
  return {
    name: "tencent",
    async sendCode(m: CodeMessage) {
      const body = JSON.stringify({
        PhoneNumberSet: [`+86${m.phone}`],
        SmsSdkAppId: cfg.sdkAppId,
        SignName: cfg.signName,
        TemplateId: cfg.templateId,
        TemplateParamSet: cfg.templateParams === 2 ? [m.code, String(m.minutes)] : [m.code],
      });
      const timestamp = Math.floor(clock.now().getTime() / 1000);
      const headers: Record<string, string> = {
        Host: url.host,
        "X-TC-Action": "SendSms",
        "X-TC-Region": cfg.region,
        "X-TC-Timestamp": String(timestamp),
        "X-TC-Version": "2021-01-11",
        "Content-Type": "application/json",
        // the SDK's client (node-fetch) closed the connection after each request
        Connection: "close",
      };
      headers.Authorization = tc3Authorization({ method: "POST", url, contentType: headers["Content-Type"], body, timestamp, service: "sms", secretId: cfg.secretId, secretKey: cfg.secretKey });
      let answer: Answer;
      try {
        answer = await send(url, { method: "POST", headers, body, agent: opts.agent, timeouts: { toHeadersMs: 5000, bodyMs: 5000 } });
      } catch (e) {
        throw fromTransport(e);
      }
      // the SDK: any status but 200 is an HTTP error, whatever its body
      if (answer.status !== 200) throw new SmsError("unavailable", `HTTP ${answer.status}`, answer.statusText);
      let response: { Error?: { Code?: unknown; Message?: unknown }; SendStatusSet?: Array<{ Code?: unknown; Message?: unknown }> } | undefined;
      try {
        response = (JSON.parse(answer.body) as { Response?: typeof response })?.Response;
      } catch {
        response = undefined;
      }
      if (!response || typeof response !== "object") throw new SmsError("unavailable", "network", "the answer is not Tencent Cloud's JSON");
      if (response.Error) throw fromCode(String(response.Error.Code), String(response.Error.Message ?? ""));
      const status = Array.isArray(response.SendStatusSet) ? response.SendStatusSet[0] : undefined;
      if (status?.Code !== "Ok") throw fromCode(typeof status?.Code === "string" ? status.Code : "missing", typeof status?.Message === "string" ? status.Message : "");
    },
  };
}

const date = (timestamp: number) => new Date(timestamp * 1000).toISOString().slice(0, 10);

/**
 * The Authorization header of TC3-HMAC-SHA256, as documented: the canonical request (method, path,
 * query, `content-type` and `host` — the host name without port —, the body's SHA-256) hashed into
 * the string to sign with the timestamp and the credential scope `date/service/tc3_request`, signed
 * with the key derived from `TC3` + SecretKey through the UTC date, the service and `tc3_request`.
 */
export function tc3Authorization(r: { method: string; url: URL; contentType: string; body: string; timestamp: number; service: string; secretId: string; secretKey: string }): string {
  const canonicalHeaders = `content-type:${r.contentType}\nhost:${r.url.hostname}\n`;
  const signedHeaders = "content-type;host";
  const canonicalRequest = [r.method, r.url.pathname, r.url.search.slice(1), canonicalHeaders, signedHeaders, sha256hex(r.body)].join("\n");
  const day = date(r.timestamp);
  const scope = `${day}/${r.service}/tc3_request`;
  const stringToSign = ["TC3-HMAC-SHA256", String(r.timestamp), scope, sha256hex(canonicalRequest)].join("\n");
  const key = hmacSha256(hmacSha256(hmacSha256(`TC3${r.secretKey}`, day), r.service), "tc3_request");
  const signature = hmacSha256(key, stringToSign).toString("hex");
  return `TC3-HMAC-SHA256 Credential=${r.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
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

/** No answer: `network`, as the SDK reported every transport failure; nothing sent when the connection was refused or the name did not resolve. */
function fromTransport(e: unknown): SmsError {
  return new SmsError("unavailable", "network", e instanceof Error ? e.message : String(e), { notSent: e instanceof TransportError && e.notSent });
}
