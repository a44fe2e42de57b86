import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { aliyunSmsFake, tencentSmsFake, type Fake } from "../../test/fakes/sms-providers.ts";
import { aliyunSender, fromCode as aliyunFromCode } from "./sms-aliyun.ts";
import { tencentSender, fromCode as tencentFromCode } from "./sms-tencent.ts";
import { SmsError, type SmsConfig, type SmsSender } from "./sms.ts";

/**
 * Our SMS requests against the providers' official SDKs (devDependencies, for this test only:
 * `@alicloud/dysmsapi20170525` 4.6.0 + `@alicloud/openapi-core` 1.0.8, `tencentcloud-sdk-nodejs-sms`
 * 4.1.306), both sent to a local capturing server at the same fixed time:
 * - the request: same method, URL (query included), body and headers; the same Authorization byte for
 *   byte (Aliyun's signature nonce is random in the SDK: ours replays the SDK's nonce). The only
 *   differences are named: the user agent, and the SDKs' unsigned bookkeeping headers;
 * - the answers: for each kind of answer (success, business refusals, HTTP errors with and without
 *   the provider's JSON or XML, throttling with a wait, a non-JSON answer, a dropped connection, a
 *   refused connection, a provider that never answers) both give the same SmsError: kind, provider
 *   code, wait and whether nothing was sent.
 * The signatures are also checked independently, by the loopback fakes that recompute them from
 * the providers' documentation (test/fakes/sms-providers.ts).
 *
 * The SDK adapters below are the ones this project used until issue #15, kept here verbatim apart
 * from the code tables (fromCode), which both share.
 */

// ---- the SDK adapters as they were (core/resident/sms-aliyun.ts and sms-tencent.ts before #15) ----

type AliyunConfig = Extract<SmsConfig, { provider: "aliyun" }>;
type TencentConfig = Extract<SmsConfig, { provider: "tencent" }>;

async function sdkAliyunSender(cfg: AliyunConfig): Promise<SmsSender> {
  const [dysms, core] = await Promise.all([import("@alicloud/dysmsapi20170525"), import("@alicloud/openapi-core")]);
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
  const fromThrown = (e: unknown): SmsError => {
    const err = e as { code?: string; message?: string; retryAfter?: number; data?: { Code?: string } };
    const code = err.data?.Code ?? err.code;
    if (code && !/^(ECONN|ETIMEDOUT|EAI_|ENOTFOUND|ReadTimeout|ConnectTimeout)/.test(code)) return aliyunFromCode(code, err.message ?? "", err.retryAfter ? Math.ceil(err.retryAfter / 1000) : undefined);
    const text = `${code ?? ""} ${err.message ?? ""}`;
    return new SmsError("unavailable", code ?? "network", text.trim(), { notSent: /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(text) });
  };
  return {
    name: "aliyun",
    async sendCode(m) {
      const req = new SendSmsRequest({ phoneNumbers: m.phone, signName: cfg.signName, templateCode: cfg.templateCode, templateParam: JSON.stringify({ code: m.code, minutes: String(m.minutes) }) });
      let body: { code?: string; message?: string } | undefined;
      try {
        body = (await client.sendSms(req)).body;
      } catch (e) {
        throw fromThrown(e);
      }
      if (body?.code !== "OK") throw aliyunFromCode(body?.code ?? "missing", body?.message ?? "");
    },
  };
}

async function sdkTencentSender(cfg: TencentConfig, opts: { agent?: Agent } = {}): Promise<SmsSender> {
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
  const fromThrown = (e: unknown): SmsError => {
    const err = e as { code?: string; message?: string; httpCode?: number };
    if (err.code) return tencentFromCode(err.code, err.message ?? "");
    const text = err.message ?? String(e);
    return new SmsError("unavailable", err.httpCode ? `HTTP ${err.httpCode}` : "network", text, { notSent: /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(text) });
  };
  return {
    name: "tencent",
    async sendCode(m) {
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
      if (status?.Code !== "Ok") throw tencentFromCode(status?.Code ?? "missing", status?.Message ?? "");
    },
  };
}

// ---- a local server that records each request as it arrived and answers what it is told ----

interface Captured {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}
type Reply = { status?: number; body: string | object; headers?: Record<string, string> } | "drop" | "silent";

interface Capture {
  origin: (host?: string) => string;
  requests: Captured[];
  reply: Reply;
  close(): Promise<void>;
}

async function capture(): Promise<Capture> {
  const sockets = new Set<Socket>();
  const c: Capture = { origin: () => "", requests: [], reply: { body: {} }, close: async () => {} };
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const x of req) chunks.push(x as Buffer);
    const headers: Record<string, string> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i].toLowerCase()] = req.rawHeaders[i + 1];
    c.requests.push({ method: req.method ?? "", url: req.url ?? "", headers, body: Buffer.concat(chunks).toString("utf8") });
    const r = c.reply;
    if (r === "drop") return void req.socket.destroy();
    if (r === "silent") return; // never answers
    const text = typeof r.body === "string" ? r.body : JSON.stringify(r.body);
    res.writeHead(r.status ?? 200, { "content-type": "application/json", ...r.headers }).end(text);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  c.origin = (host = "127.0.0.1") => `http://${host}:${port}`;
  c.close = () => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(() => r()));
  };
  return c;
}

/** the provider's real host name resolved to loopback (Tencent's SDK names the signature's service after the endpoint's first label) */
const loopback = new Agent({
  lookup: ((_host: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) => (opts?.all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4))) as never,
});

const ALIYUN = { accessKeyId: "LTAI5tFakeKeyId000001", accessKeySecret: "fake-secret-aliyun-0123456789abcdef" };
const TENCENT = { secretId: "AKIDfakeSecretId0000000000000000001", secretKey: "fake-secret-tencent-0123456789ab" };
/** a sign name with every character the two percent-encodings (URL, signature) treat differently */
const SIGN = "湖里网格 (测试)!*'~";
const aliyunCfg = (endpoint: string): AliyunConfig => ({ provider: "aliyun", ...ALIYUN, signName: SIGN, templateCode: "SMS_465810001", regionId: "cn-hangzhou", endpoint });
const tencentCfg = (endpoint: string, templateParams: 1 | 2 = 2): TencentConfig => ({ provider: "tencent", ...TENCENT, sdkAppId: "1400006666", signName: SIGN, templateId: "1110001", templateParams, region: "ap-guangzhou", endpoint });
const MESSAGE = { phone: "13800138000", code: "042917", minutes: 5 };
/** 2026-12-05 23:59:59.600 UTC: the UTC date (credential scopes) and the seconds (x-acs-date, X-TC-Timestamp) both matter */
const AT = new Date("2026-12-05T23:59:59.600Z");

const without = (h: Record<string, string>, names: string[]) => Object.fromEntries(Object.entries(h).filter(([k]) => !names.includes(k)));

/** what a send came to: "sent", or the SmsError's meaning */
async function outcome(sender: Promise<SmsSender>) {
  try {
    await (await sender).sendCode(MESSAGE);
    return "sent";
  } catch (e) {
    if (!(e instanceof SmsError)) throw e;
    return { kind: e.kind, providerCode: e.providerCode, retryAfterSeconds: e.retryAfterSeconds, notSent: e.notSent };
  }
}

let server: Capture;
let aliyunFake: Fake;
let tencentFake: Fake;
beforeAll(async () => {
  [server, aliyunFake, tencentFake] = await Promise.all([capture(), aliyunSmsFake(ALIYUN), tencentSmsFake(TENCENT)]);
});
afterAll(async () => {
  await Promise.all([server.close(), aliyunFake.close(), tencentFake.close()]);
  loopback.destroy();
});
afterEach(() => {
  vi.useRealTimers();
  server.requests.length = 0;
  server.reply = { body: {} };
});

describe("Aliyun SendSms: our request is the SDK's", () => {
  it("same method, URL with the query, body, headers and Authorization (ACS3-HMAC-SHA256) at the same time and nonce; only the user agent differs", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: AT });
    server.reply = { body: { Code: "OK", Message: "OK", BizId: "1", RequestId: "r" } };
    expect(await outcome(sdkAliyunSender(aliyunCfg(server.origin())))).toBe("sent");
    const [sdk] = server.requests;
    const nonce = sdk.headers["x-acs-signature-nonce"];
    expect(nonce).toMatch(/^[0-9a-f]{64}$/);
    expect(await outcome(aliyunSender(aliyunCfg(server.origin()), { nonce: () => nonce }))).toBe("sent");
    const [, ours] = server.requests;

    expect(sdk.headers["x-acs-date"]).toBe("2026-12-05T23:59:59Z");
    expect(sdk.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=LTAI5tFakeKeyId000001,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}$/);
    expect(ours.method).toBe("POST");
    expect(ours.method).toBe(sdk.method);
    expect(ours.url).toBe(sdk.url);
    expect(ours.body).toBe(sdk.body);
    expect(ours.body).toBe("");
    expect(ours.headers.authorization).toBe(sdk.headers.authorization);
    expect(without(ours.headers, ["user-agent"])).toEqual(without(sdk.headers, ["user-agent"]));
    expect(ours.headers["user-agent"]).toMatch(/^wangge \(/);
    // the parameters as the provider reads them
    const q = new URL(ours.url, "http://x").searchParams;
    expect(Object.fromEntries(q)).toEqual({ PhoneNumbers: "13800138000", SignName: SIGN, TemplateCode: "SMS_465810001", TemplateParam: '{"code":"042917","minutes":"5"}' });
  });

  it("each request signs a fresh nonce, and the signature-checking fake (written from Aliyun's documentation) accepts ours and the SDK's alike", async () => {
    for (const s of [sdkAliyunSender(aliyunCfg(aliyunFake.url)), aliyunSender(aliyunCfg(aliyunFake.url)), aliyunSender(aliyunCfg(aliyunFake.url))]) expect(await outcome(s)).toBe("sent");
    expect(aliyunFake.requests.map((r) => r.problem)).toEqual([undefined, undefined, undefined]);
    expect(aliyunFake.requests.every((r) => r.signatureOk)).toBe(true);
    const nonces = aliyunFake.requests.map((r) => r.headers["x-acs-signature-nonce"]);
    expect(new Set(nonces).size).toBe(3);
  });
});

describe("Tencent SendSms: our request is the SDK's", () => {
  it("same method, path, JSON body, signed headers and Authorization (TC3-HMAC-SHA256, service sms) at the same time; we leave out the SDK's unsigned bookkeeping headers", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: AT });
    server.reply = { body: { Response: { SendStatusSet: [{ Code: "Ok", Message: "send success", PhoneNumber: "+8613800138000" }], RequestId: "r" } } };
    for (const templateParams of [2, 1] as const) {
      server.requests.length = 0;
      const endpoint = server.origin("sms.tencentcloudapi.com");
      expect(await outcome(sdkTencentSender(tencentCfg(endpoint, templateParams), { agent: loopback }))).toBe("sent");
      expect(await outcome(tencentSender(tencentCfg(endpoint, templateParams), { agent: loopback }))).toBe("sent");
      const [sdk, ours] = server.requests;

      expect(sdk.headers["x-tc-timestamp"]).toBe(String(Math.floor(AT.getTime() / 1000)));
      expect(sdk.headers.authorization).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDfakeSecretId0000000000000000001\/2026-12-05\/sms\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/);
      expect(ours.method).toBe(sdk.method);
      expect(ours.url).toBe(sdk.url);
      expect(ours.body).toBe(sdk.body);
      expect(JSON.parse(ours.body)).toEqual({ PhoneNumberSet: ["+8613800138000"], SmsSdkAppId: "1400006666", SignName: SIGN, TemplateId: "1110001", TemplateParamSet: templateParams === 2 ? ["042917", "5"] : ["042917"] });
      expect(ours.headers.authorization).toBe(sdk.headers.authorization);
      // the SDK's extras: its client's identity and trace id (unsigned, optional), node-fetch's defaults
      const extras = ["x-tc-requestclient", "x-tc-traceid", "user-agent", "accept", "accept-encoding"];
      expect(Object.keys(sdk.headers).filter((k) => !(k in ours.headers)).sort()).toEqual(extras.sort());
      expect(ours.headers).toEqual(without(sdk.headers, extras));
    }
  });

  it("the signature-checking fake (written from Tencent's documentation) accepts ours and the SDK's alike", async () => {
    const endpoint = `http://sms.tencentcloudapi.com:${tencentFake.port}`;
    for (const s of [sdkTencentSender(tencentCfg(endpoint), { agent: loopback }), tencentSender(tencentCfg(endpoint), { agent: loopback })]) expect(await outcome(s)).toBe("sent");
    expect(tencentFake.requests.map((r) => r.problem)).toEqual([undefined, undefined]);
    expect(tencentFake.requests.every((r) => r.signatureOk)).toBe(true);
  });
});

describe("the same answer means the same to the SDK adapter and to ours", () => {
  const xml = (code: string, message: string) => `<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>r</RequestId><HostId>dysmsapi.aliyuncs.com</HostId><Code>${code}</Code><Message>${message}</Message><Recommend>x</Recommend></Error>`;
  const aliyunCases: Array<[string, Reply]> = [
    ["OK", { body: { Code: "OK", Message: "OK", BizId: "1", RequestId: "r" } }],
    ["an unreachable number", { body: { Code: "isv.MOBILE_NUMBER_ILLEGAL", Message: "非法手机号", RequestId: "r" } }],
    ["business flow control, the day", { body: { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发天级流控Permits:10", RequestId: "r" } }],
    ["business flow control, the hour", { body: { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发小时级流控Permits:5", RequestId: "r" } }],
    ["an unapproved template", { body: { Code: "isv.SMS_TEMPLATE_ILLEGAL", Message: "模板不合法", RequestId: "r" } }],
    ["a provider error in a 200", { body: { Code: "isp.SYSTEM_ERROR", Message: "系统错误", RequestId: "r" } }],
    ["HTTP 400 Throttling with x-acs-retry-after", { status: 400, body: { Code: "Throttling.User", Message: "Request was denied due to user flow control.", RequestId: "r" }, headers: { "x-acs-retry-after": "7000" } }],
    ["HTTP 400 Throttling without a wait", { status: 400, body: { Code: "Throttling.User", Message: "flow control", RequestId: "r" } }],
    ["HTTP 400 SignatureDoesNotMatch", { status: 400, body: { Code: "SignatureDoesNotMatch", Message: "Specified signature is not matched with our calculation.", RequestId: "r" } }],
    ["HTTP 404 InvalidAccessKeyId.NotFound as XML", { status: 404, body: xml("InvalidAccessKeyId.NotFound", "Specified access key is not found."), headers: { "content-type": "text/xml;charset=utf-8" } }],
    ["HTTP 500 InternalError", { status: 500, body: { Code: "InternalError", Message: "The request processing has failed due to some unknown error.", RequestId: "r" } }],
    ["a 200 that is not JSON", { body: "<html>gateway</html>", headers: { "content-type": "text/html" } }],
    ["a dropped connection (the request arrived)", "drop"],
  ];
  it.each(aliyunCases)("Aliyun: %s", async (_what, reply) => {
    server.reply = reply;
    const sdk = await outcome(sdkAliyunSender(aliyunCfg(server.origin())));
    const ours = await outcome(aliyunSender(aliyunCfg(server.origin())));
    expect(ours).toEqual(sdk);
    expect(server.requests).toHaveLength(2); // one attempt each, no retry
  });

  it("Aliyun: an HTTP error whose body is not Aliyun's (a proxy's 502 page): unavailable and maybe sent for both; we name the status where the SDK said `undefined`", async () => {
    server.reply = { status: 502, body: { message: "Bad Gateway" } };
    const sdk = await outcome(sdkAliyunSender(aliyunCfg(server.origin())));
    const ours = await outcome(aliyunSender(aliyunCfg(server.origin())));
    expect(sdk).toEqual({ kind: "unavailable", providerCode: "undefined", retryAfterSeconds: undefined, notSent: false });
    expect(ours).toEqual({ kind: "unavailable", providerCode: "HTTP 502", retryAfterSeconds: undefined, notSent: false });
  });

  const tencentCases: Array<[string, Reply]> = [
    ["Ok", { body: { Response: { SendStatusSet: [{ Code: "Ok", Message: "send success" }], RequestId: "r" } } }],
    ["an unreachable number (per-number status)", { body: { Response: { SendStatusSet: [{ Code: "InvalidParameterValue.IncorrectPhoneNumber", Message: "incorrect" }], RequestId: "r" } } }],
    ["the number's hour (per-number status)", { body: { Response: { SendStatusSet: [{ Code: "LimitExceeded.PhoneNumberOneHourLimit", Message: "limit" }], RequestId: "r" } } }],
    ["the number's 30 seconds", { body: { Response: { SendStatusSet: [{ Code: "LimitExceeded.PhoneNumberThirtySecondLimit", Message: "limit" }], RequestId: "r" } } }],
    ["an unapproved template (request error)", { body: { Response: { Error: { Code: "FailedOperation.TemplateIncorrectOrUnapproved", Message: "template" }, RequestId: "r" } } }],
    ["a wrong signature (request error)", { body: { Response: { Error: { Code: "AuthFailure.SignatureFailure", Message: "signature" }, RequestId: "r" } } }],
    ["a provider timeout (request error)", { body: { Response: { Error: { Code: "InternalError.Timeout", Message: "timeout" }, RequestId: "r" } } }],
    ["HTTP 500", { status: 500, body: { Response: { Error: { Code: "InternalError", Message: "x" } } } }],
    ["HTTP 502 with a page", { status: 502, body: "<html>bad gateway</html>", headers: { "content-type": "text/html" } }],
    ["a 200 that is not JSON", { body: "<html>gateway</html>", headers: { "content-type": "text/html" } }],
    ["a dropped connection (the request arrived)", "drop"],
  ];
  it.each(tencentCases)("Tencent: %s", async (_what, reply) => {
    server.reply = reply;
    const endpoint = server.origin("sms.tencentcloudapi.com");
    const sdk = await outcome(sdkTencentSender(tencentCfg(endpoint), { agent: loopback }));
    const ours = await outcome(tencentSender(tencentCfg(endpoint), { agent: loopback }));
    expect(ours).toEqual(sdk);
    expect(server.requests).toHaveLength(2);
  });

  it("a refused connection: unavailable and certainly not sent, for both providers and both adapters", async () => {
    const closed = "http://127.0.0.1:9";
    const results = await Promise.all([outcome(sdkAliyunSender(aliyunCfg(closed))), outcome(aliyunSender(aliyunCfg(closed))), outcome(sdkTencentSender(tencentCfg(closed))), outcome(tencentSender(tencentCfg(closed)))]);
    expect(results).toEqual([
      { kind: "unavailable", providerCode: "ECONNREFUSED", retryAfterSeconds: undefined, notSent: true },
      { kind: "unavailable", providerCode: "ECONNREFUSED", retryAfterSeconds: undefined, notSent: true },
      { kind: "unavailable", providerCode: "network", retryAfterSeconds: undefined, notSent: true },
      { kind: "unavailable", providerCode: "network", retryAfterSeconds: undefined, notSent: true },
    ]);
  });

  it("a provider that accepts the request and never answers: both adapters give up (the SDKs' timeouts: Aliyun 3 s idle, Tencent 5 s), unavailable and maybe sent", async () => {
    server.reply = "silent";
    const endpoint = server.origin("sms.tencentcloudapi.com");
    const results = await Promise.all([
      outcome(sdkAliyunSender(aliyunCfg(server.origin()))),
      outcome(aliyunSender(aliyunCfg(server.origin()))),
      outcome(sdkTencentSender(tencentCfg(endpoint), { agent: loopback })),
      outcome(tencentSender(tencentCfg(endpoint), { agent: loopback })),
    ]);
    const maybeSent = { kind: "unavailable", providerCode: "network", retryAfterSeconds: undefined, notSent: false };
    expect(results).toEqual([maybeSent, maybeSent, maybeSent, maybeSent]);
    expect(server.requests).toHaveLength(4);
  }, 20_000);
});
