import { randomBytes } from "node:crypto";
import type { Agent } from "node:http";
import { arch, platform } from "node:os";
import { clock } from "../clock.ts";
import { SmsError, type CodeMessage, type SmsConfig, type SmsSender } from "./sms.ts";
import { hmacSha256, send, sha256hex, TransportError, type Answer } from "./sms-http.ts";

type AliyunConfig = Extract<SmsConfig, { provider: "aliyun" }>;

/**
 * Alibaba Cloud SMS (dysmsapi 2017-05-25, `SendSms`) as one signed HTTPS request, without an SDK.
 * It is the request the official SDK (`@alicloud/dysmsapi20170525` 4.6.0 on `@alicloud/openapi-core`
 * 1.0.8) sends, byte for byte apart from the user agent (core/resident/sms-sdk-equivalence.test.ts):
 * RPC style, `POST /` with the parameters in the query and no body, signed ACS3-HMAC-SHA256
 * (signature V3, https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature);
 * the SDK's timeouts (3 s socket idle, 5 s from connect to the end of the answer); one attempt.
 * Business refusals come back as HTTP 200 with a `Code` other than `OK`, protocol errors as 4xx/5xx
 * (JSON, or XML for some gateway errors). Codes: https://help.aliyun.com/zh/sms/developer-reference/api-error-codes
 *
 * `opts` are for tests: `agent` (host name resolution), `nonce` (to replay the SDK's request).
 */
export async function aliyunSender(cfg: AliyunConfig, opts: { agent?: Agent; nonce?: () => string } = {}): Promise<SmsSender> {
  const base = new URL(cfg.endpoint ?? "https://dysmsapi.aliyuncs.com");
  const nonce = opts.nonce ?? (() => randomBytes(16).toString("hex"));
  return {
    name: "aliyun",
    async sendCode(m: CodeMessage) {
      // the SDK's order (the signature sorts them; the URL keeps this order)
      const query: Array<[string, string]> = [
        ["PhoneNumbers", m.phone],
        ["SignName", cfg.signName],
        ["TemplateCode", cfg.templateCode],
        ["TemplateParam", JSON.stringify({ code: m.code, minutes: String(m.minutes) })],
      ];
      const url = new URL(`${base.protocol}//${base.host}/?${query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")}`);
      const headers: Record<string, string> = {
        host: base.host,
        "x-acs-version": "2017-05-25",
        "x-acs-action": "SendSms",
        "user-agent": USER_AGENT,
        "x-acs-date": acsDate(clock.now()),
        "x-acs-signature-nonce": nonce(),
        accept: "application/json",
        "x-acs-content-sha256": sha256hex(""),
        // signed like every x-acs- header; the SDK names where its credentials came from (an AccessKey given in code)
        "x-acs-credentials-provider": "static_ak",
      };
      headers.Authorization = acs3Authorization({ method: "POST", pathname: "/", query, headers, payloadHash: headers["x-acs-content-sha256"], accessKeyId: cfg.accessKeyId, accessKeySecret: cfg.accessKeySecret });
      let answer: Answer;
      try {
        answer = await send(url, { method: "POST", headers, agent: opts.agent, keepAlive: true, timeouts: { idleMs: 3000, afterConnectMs: 5000 } });
      } catch (e) {
        throw fromTransport(e);
      }
      const body = parseBody(answer);
      if (answer.status >= 400) {
        if (!body) throw new SmsError("unavailable", `HTTP ${answer.status}`, `HTTP ${answer.status} ${answer.statusText}: the answer is not Aliyun's error`);
        const code = String(body.Code ?? body.code ?? `HTTP ${answer.status}`);
        const message = String(body.Message ?? body.message ?? "");
        // x-acs-retry-after: milliseconds (the SDK's ThrottlingError.retryAfter)
        const retryAfterMs = code.includes("Throttling") ? Number.parseInt(String(answer.headers["x-acs-retry-after"] ?? ""), 10) : Number.NaN;
        throw fromCode(code, message, retryAfterMs > 0 ? Math.ceil(retryAfterMs / 1000) : undefined);
      }
      if (!body) throw new SmsError("unavailable", "network", `HTTP ${answer.status}: the answer is not JSON`);
      if (body.Code !== "OK") throw fromCode(typeof body.Code === "string" ? body.Code : "missing", typeof body.Message === "string" ? body.Message : "");
    },
  };
}

const USER_AGENT = `wangge (${platform()}; ${arch()}) Node.js/${process.version}`;

/** `2026-12-05T06:30:00Z`: the x-acs-date of signature V3 (UTC, seconds). */
export const acsDate = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** RFC 3986 percent-encoding of signature V3 (unreserved: A-Z a-z 0-9 - _ . ~; a space is %20). */
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The Authorization header of signature V3 (ACS3-HMAC-SHA256), as documented: the canonical request
 * (method, path, the query sorted by encoded name, the signed headers — `host`, `content-type` and
 * every `x-acs-*`, lower-cased, sorted, values trimmed — and the payload's SHA-256), hashed into the
 * string to sign, signed with HMAC-SHA256 under the AccessKey secret.
 */
export function acs3Authorization(r: { method: string; pathname: string; query: ReadonlyArray<readonly [string, string]>; headers: Record<string, string>; payloadHash: string; accessKeyId: string; accessKeySecret: string }): string {
  const canonicalQuery = r.query
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const signed = new Map<string, string>();
  for (const [k, v] of Object.entries(r.headers)) {
    const name = k.toLowerCase();
    if (name === "host" || name === "content-type" || name.startsWith("x-acs-")) signed.set(name, v.trim());
  }
  const names = [...signed.keys()].sort();
  const canonicalHeaders = names.map((n) => `${n}:${signed.get(n)}\n`).join("");
  const canonicalRequest = [r.method, r.pathname, canonicalQuery, canonicalHeaders, names.join(";"), r.payloadHash].join("\n");
  const signature = hmacSha256(r.accessKeySecret, `ACS3-HMAC-SHA256\n${sha256hex(canonicalRequest)}`).toString("hex");
  return `ACS3-HMAC-SHA256 Credential=${r.accessKeyId},SignedHeaders=${names.join(";")},Signature=${signature}`;
}

type Body = Record<string, unknown>;

/** The answer as JSON, or the fields of Aliyun's XML error (`text/xml;charset=utf-8`); undefined when it is neither. */
function parseBody(a: Answer): Body | undefined {
  if (a.status >= 400 && a.headers["content-type"] === "text/xml;charset=utf-8") {
    const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(a.body)?.[1];
    const code = field("Code");
    return code === undefined ? undefined : { Code: code, Message: field("Message") ?? "", RequestId: field("RequestId") };
  }
  try {
    const json: unknown = JSON.parse(a.body);
    return json && typeof json === "object" && !Array.isArray(json) ? (json as Body) : undefined;
  } catch {
    return undefined;
  }
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

/** No answer: Node's error code (ECONNREFUSED, ECONNRESET…) or `network` for a timeout, as the SDK reported them. */
function fromTransport(e: unknown): SmsError {
  if (!(e instanceof TransportError)) return new SmsError("unavailable", "network", e instanceof Error ? e.message : String(e));
  return new SmsError("unavailable", e.code === "timeout" ? "network" : e.code, e.message, { notSent: e.notSent });
}
