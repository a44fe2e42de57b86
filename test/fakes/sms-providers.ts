import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Loopback fakes of the SMS providers' HTTP APIs. Each one VERIFIES the provider's documented
 * request signature, written here from the providers' documentation (not from the SDKs):
 * - Alibaba Cloud, signature V3 (ACS3-HMAC-SHA256):
 *   https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
 * - Tencent Cloud, TC3-HMAC-SHA256: https://cloud.tencent.com/document/api/382/52071
 * A request with a wrong signature gets the provider's own auth error (and is recorded as such).
 */
export interface Recorded {
  signatureOk: boolean;
  /** why the signature was refused */
  problem?: string;
  headers: Record<string, string>;
  /** Aliyun: the query parameters; Tencent: the JSON body */
  params: Record<string, unknown>;
}

type Reply = { status?: number; body: unknown; headers?: Record<string, string> } | "drop";

export interface Fake {
  url: string;
  port: number;
  requests: Recorded[];
  /** the replies to give next, in order; afterwards the provider's success reply */
  next: Reply[];
  close(): Promise<void>;
}

const sha256hex = (b: string | Buffer) => createHash("sha256").update(b).digest("hex");
const hmac = (key: string | Buffer, s: string) => createHmac("sha256", key).update(s).digest();
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") out[k.toLowerCase()] = v;
  return out;
}

async function serve(handle: (req: IncomingMessage, raw: Buffer, fake: Fake) => { recorded: Recorded; ok: unknown; authError: { status: number; body: unknown } }): Promise<Fake> {
  const fake: Fake = { url: "", port: 0, requests: [], next: [], close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const raw = await body(req);
    const { recorded, ok, authError } = handle(req, raw, fake);
    fake.requests.push(recorded);
    if (!recorded.signatureOk) {
      res.writeHead(authError.status, { "content-type": "application/json" }).end(JSON.stringify(authError.body));
      return;
    }
    const reply = fake.next.shift() ?? { body: ok };
    if (reply === "drop") {
      req.socket.destroy(); // the request arrived (and may have been sent on): no answer
      return;
    }
    res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers }).end(JSON.stringify(reply.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  fake.port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${fake.port}`;
  fake.close = () => new Promise((r) => server.close(() => r()));
  return fake;
}

/** RFC 3986 percent-encoding as Aliyun's V3 canonical query string wants it (unreserved: A-Z a-z 0-9 - _ . ~). */
const aliyunEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Alibaba Cloud SMS (dysmsapi): RPC `SendSms` 2017-05-25 signed ACS3-HMAC-SHA256. */
export function aliyunSmsFake(creds: { accessKeyId: string; accessKeySecret: string }): Promise<Fake> {
  return serve((req, raw) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const headers = headersOf(req);
    const params: Record<string, string> = Object.fromEntries(url.searchParams.entries());
    const recorded: Recorded = { signatureOk: false, headers, params };
    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(headers.authorization ?? "");
    const check = (): string | undefined => {
      if (!auth) return "Authorization is not ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…";
      const [, keyId, signedHeaders, signature] = auth;
      if (keyId !== creds.accessKeyId) return "unknown AccessKeyId";
      const names = signedHeaders.split(";");
      const must = ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"];
      const missing = must.filter((n) => !names.includes(n));
      if (missing.length) return `SignedHeaders lacks ${missing.join(",")}`;
      const unsigned = Object.keys(headers).filter((h) => h.startsWith("x-acs-") && !names.includes(h));
      if (unsigned.length) return `x-acs- headers not signed: ${unsigned.join(",")}`;
      if ([...names].sort().join(";") !== signedHeaders) return "SignedHeaders not sorted";
      const payloadHash = sha256hex(raw);
      if (headers["x-acs-content-sha256"] !== payloadHash) return "x-acs-content-sha256 is not the body's SHA-256";
      const query = [...url.searchParams.entries()]
        .map(([k, v]) => [aliyunEncode(k), aliyunEncode(v)])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`)
        .join("&");
      const canonicalHeaders = names.map((n) => `${n}:${(headers[n] ?? "").trim()}\n`).join("");
      const canonicalRequest = [req.method, url.pathname, query, canonicalHeaders, signedHeaders, payloadHash].join("\n");
      const stringToSign = `ACS3-HMAC-SHA256\n${sha256hex(canonicalRequest)}`;
      const expected = hmac(creds.accessKeySecret, stringToSign).toString("hex");
      return same(expected, signature) ? undefined : "SignatureDoesNotMatch";
    };
    const problem = check();
    recorded.signatureOk = !problem;
    recorded.problem = problem;
    return {
      recorded,
      ok: { Code: "OK", Message: "OK", BizId: "900619746936498440^0", RequestId: "F655A8D5-B967-440B-8683-DAD6FF8DE990" },
      authError: { status: 400, body: { Code: "SignatureDoesNotMatch", Message: `Specified signature is not matched with our calculation. ${problem}`, RequestId: "fake" } },
    };
  });
}

/** Tencent Cloud SMS: `SendSms` 2021-01-11 signed TC3-HMAC-SHA256 (service `sms`). */
export function tencentSmsFake(creds: { secretId: string; secretKey: string }): Promise<Fake> {
  return serve((req, raw) => {
    const headers = headersOf(req);
    let params: Record<string, unknown> = {};
    try {
      params = JSON.parse(raw.toString("utf8"));
    } catch {
      params = {};
    }
    const recorded: Recorded = { signatureOk: false, headers, params };
    const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(headers.authorization ?? "");
    const check = (): string | undefined => {
      if (!auth) return "Authorization is not TC3-HMAC-SHA256 Credential=…/date/service/tc3_request, SignedHeaders=…, Signature=…";
      const [, secretId, date, service, signedHeaders, signature] = auth;
      if (secretId !== creds.secretId) return "unknown SecretId";
      if (service !== "sms") return `credential scope service is ${service}, not sms`;
      const timestamp = Number(headers["x-tc-timestamp"]);
      if (!Number.isInteger(timestamp)) return "X-TC-Timestamp missing";
      if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return "credential date is not the UTC date of X-TC-Timestamp";
      const names = signedHeaders.split(";");
      if (!names.includes("host") || !names.includes("content-type")) return "SignedHeaders must include content-type and host";
      const url = new URL(req.url ?? "/", "http://fake");
      const canonicalHeaders = names.map((n) => `${n}:${(n === "host" ? (headers.host ?? "").replace(/:\d+$/, "") : (headers[n] ?? "")).trim().toLowerCase()}\n`).join("");
      const canonicalRequest = [req.method, url.pathname, url.search.slice(1), canonicalHeaders, signedHeaders, sha256hex(raw)].join("\n");
      const stringToSign = ["TC3-HMAC-SHA256", String(timestamp), `${date}/${service}/tc3_request`, sha256hex(canonicalRequest)].join("\n");
      const kDate = hmac(`TC3${creds.secretKey}`, date);
      const kService = hmac(kDate, service);
      const kSigning = hmac(kService, "tc3_request");
      const expected = createHmac("sha256", kSigning).update(stringToSign).digest("hex");
      return same(expected, signature) ? undefined : "signature mismatch";
    };
    const problem = check();
    recorded.signatureOk = !problem;
    recorded.problem = problem;
    const phones = Array.isArray(params.PhoneNumberSet) ? (params.PhoneNumberSet as string[]) : [];
    return {
      recorded,
      ok: { Response: { SendStatusSet: phones.map((p) => ({ SerialNo: "5000:1045710669157053657849499619", PhoneNumber: p, Fee: 1, SessionContext: "", Code: "Ok", Message: "send success", IsoCode: "CN" })), RequestId: "a0aabda6-cf91-4f3e-a81f-9198114a2279" } },
      authError: { status: 200, body: { Response: { Error: { Code: "AuthFailure.SignatureFailure", Message: `The provided credentials could not be validated. ${problem}` }, RequestId: "fake" } } },
    };
  });
}

/** Tencent's reply for one refused number (HTTP 200, per-number status). */
export const tencentStatus = (code: string, message = code) => ({ body: { Response: { SendStatusSet: [{ SerialNo: "", PhoneNumber: "+8613800000000", Fee: 0, SessionContext: "", Code: code, Message: message, IsoCode: "CN" }], RequestId: "r" } } });
/** Tencent's reply for a refused request. */
export const tencentError = (code: string, message = code) => ({ body: { Response: { Error: { Code: code, Message: message }, RequestId: "r" } } });
/** Aliyun's reply for a refused send (HTTP 200, `Code`). */
export const aliyunCode = (code: string, message = code) => ({ body: { Code: code, Message: message, RequestId: "r" } });
