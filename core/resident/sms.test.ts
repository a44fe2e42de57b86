import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { Agent } from "node:http";
import { aliyunCode, aliyunSmsFake, tencentError, tencentSmsFake, tencentStatus, type Fake } from "../../test/fakes/sms-providers.ts";
import { useStackEnv } from "../../test/client.ts";
import { resetSmsSender, senderFor, stageSmsSender } from "./sms-providers.ts";
import { requestCode } from "./service.ts";
import { logger } from "../log.ts";
import type { SmsSender } from "./sms.ts";

/**
 * The SMS adapters (signed HTTPS requests, no SDK; the same requests as the providers' SDKs:
 * sms-sdk-equivalence.test.ts) against loopback fakes that verify each provider's documented
 * signature and parameters; and the code request through the real limits (rolling windows in the
 * stack's DynamoDB) in front of them.
 */
const ALIYUN = { accessKeyId: "LTAI5tFakeKeyId000001", accessKeySecret: "fake-secret-aliyun-0123456789abcdef" };
const TENCENT = { secretId: "AKIDfakeSecretId0000000000000000001", secretKey: "fake-secret-tencent-0123456789ab" };

let aliyun: Fake;
let tencent: Fake;
/** the provider's real host name (sms.tencentcloudapi.com) resolved to the fake */
const loopback = new Agent({
  lookup: ((_host: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) => (opts?.all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4))) as never,
});

const aliyunSender = (over: Record<string, unknown> = {}) =>
  senderFor({ provider: "aliyun", ...ALIYUN, signName: "湖里网格", templateCode: "SMS_465810001", regionId: "cn-hangzhou", endpoint: aliyun.url, ...over } as never);
const tencentSender = (over: Record<string, unknown> = {}) =>
  senderFor(
    { provider: "tencent", ...TENCENT, sdkAppId: "1400006666", signName: "湖里网格", templateId: "1110001", templateParams: 2, region: "ap-guangzhou", endpoint: `http://sms.tencentcloudapi.com:${tencent.port}`, ...over } as never,
    { agent: loopback },
  );

let seq = 0;
const phone = () => `137${String(process.pid % 10000).padStart(4, "0")}${String(seq++ % 10000).padStart(4, "0")}`;
let ipSeq = 0;
const ip = () => `10.77.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`;

beforeAll(async () => {
  useStackEnv();
  [aliyun, tencent] = await Promise.all([aliyunSmsFake(ALIYUN), tencentSmsFake(TENCENT)]);
});
afterAll(async () => {
  await Promise.all([aliyun?.close(), tencent?.close()]);
  loopback.destroy();
});
beforeEach(() => {
  aliyun.requests.length = 0;
  aliyun.next.length = 0;
  tencent.requests.length = 0;
  tencent.next.length = 0;
});

describe("Alibaba Cloud SMS adapter (ACS3-HMAC-SHA256 verified by the fake)", () => {
  it("sends SendSms 2017-05-25 with the sign name, template and the code as template parameter, correctly signed", async () => {
    const s = await aliyunSender();
    await s.sendCode({ phone: "13800138000", code: "042917", minutes: 5 });
    expect(aliyun.requests).toHaveLength(1);
    const [r] = aliyun.requests;
    expect(r.problem).toBeUndefined();
    expect(r.signatureOk).toBe(true);
    expect(r.headers["x-acs-action"]).toBe("SendSms");
    expect(r.headers["x-acs-version"]).toBe("2017-05-25");
    expect(r.params).toMatchObject({ PhoneNumbers: "13800138000", SignName: "湖里网格", TemplateCode: "SMS_465810001" });
    expect(JSON.parse(r.params.TemplateParam as string)).toEqual({ code: "042917", minutes: "5" });
  });

  it("is refused by the fake when signed with another secret (the fake really checks)", async () => {
    const s = await aliyunSender({ accessKeySecret: "not-the-secret-the-provider-knows" });
    await expect(s.sendCode({ phone: "13800138000", code: "111111", minutes: 5 })).rejects.toMatchObject({ kind: "misconfigured", providerCode: "SignatureDoesNotMatch" });
    expect(aliyun.requests[0].problem).toBe("SignatureDoesNotMatch");
  });

  it.each([
    ["isv.MOBILE_NUMBER_ILLEGAL", "invalid_phone"],
    ["isv.BUSINESS_LIMIT_CONTROL", "throttled"],
    ["isv.SMS_TEMPLATE_ILLEGAL", "misconfigured"],
    ["isv.SMS_SIGNATURE_ILLEGAL", "misconfigured"],
    ["isp.SYSTEM_ERROR", "unavailable"],
  ])("maps the provider's %s to %s", async (code, kind) => {
    aliyun.next.push(aliyunCode(code));
    const s = await aliyunSender();
    await expect(s.sendCode({ phone: "13800138000", code: "222222", minutes: 5 })).rejects.toMatchObject({ kind, providerCode: code });
  });

  it.each([
    ["触发分钟级流控Permits:1", 60],
    ["触发小时级流控Permits:5", 3600],
    ["触发天级流控Permits:10", 86_400],
  ])("reads the window of Aliyun's business flow control from its message (%s → %i s)", async (message, seconds) => {
    aliyun.next.push(aliyunCode("isv.BUSINESS_LIMIT_CONTROL", message));
    const s = await aliyunSender();
    await expect(s.sendCode({ phone: "13800138000", code: "444444", minutes: 5 })).rejects.toMatchObject({ kind: "throttled", retryAfterSeconds: seconds });
  });

  it("maps an HTTP Throttling error with x-acs-retry-after to throttled with that wait", async () => {
    aliyun.next.push({ status: 400, body: { Code: "Throttling.User", Message: "Request was denied due to user flow control.", RequestId: "r" }, headers: { "x-acs-retry-after": "7000" } });
    const s = await aliyunSender();
    await expect(s.sendCode({ phone: "13800138000", code: "333333", minutes: 5 })).rejects.toMatchObject({ kind: "throttled", retryAfterSeconds: 7 });
  });
});

describe("Tencent Cloud SMS adapter (TC3-HMAC-SHA256 verified by the fake)", () => {
  it("sends SendSms 2021-01-11 to +86 with app id, sign name, template and [code, minutes], correctly signed", async () => {
    const s = await tencentSender();
    await s.sendCode({ phone: "13800138000", code: "042917", minutes: 5 });
    expect(tencent.requests).toHaveLength(1);
    const [r] = tencent.requests;
    expect(r.problem).toBeUndefined();
    expect(r.signatureOk).toBe(true);
    expect(r.headers["x-tc-action"]).toBe("SendSms");
    expect(r.headers["x-tc-version"]).toBe("2021-01-11");
    expect(r.headers["x-tc-region"]).toBe("ap-guangzhou");
    expect(r.params).toEqual({ PhoneNumberSet: ["+8613800138000"], SmsSdkAppId: "1400006666", SignName: "湖里网格", TemplateId: "1110001", TemplateParamSet: ["042917", "5"] });
  });

  it("sends only the code to a one-variable template", async () => {
    const s = await tencentSender({ templateParams: 1 });
    await s.sendCode({ phone: "13800138000", code: "555555", minutes: 5 });
    expect(tencent.requests[0].params.TemplateParamSet).toEqual(["555555"]);
  });

  it("is refused by the fake when signed with another key", async () => {
    const s = await tencentSender({ secretKey: "not-the-key-the-provider-knows!!" });
    await expect(s.sendCode({ phone: "13800138000", code: "111111", minutes: 5 })).rejects.toMatchObject({ kind: "misconfigured", providerCode: "AuthFailure.SignatureFailure" });
    expect(tencent.requests[0].problem).toBe("signature mismatch");
  });

  it.each([
    [tencentStatus("InvalidParameterValue.IncorrectPhoneNumber"), "invalid_phone", undefined],
    [tencentStatus("LimitExceeded.PhoneNumberThirtySecondLimit"), "throttled", 30],
    [tencentStatus("LimitExceeded.PhoneNumberOneHourLimit"), "throttled", 3600],
    [tencentError("FailedOperation.TemplateIncorrectOrUnapproved"), "misconfigured", undefined],
    [tencentError("InternalError.Timeout"), "unavailable", undefined],
  ])("maps the provider's reply %j to %s", async (reply, kind, retryAfterSeconds) => {
    tencent.next.push(reply);
    const s = await tencentSender();
    const err = await s.sendCode({ phone: "13800138000", code: "222222", minutes: 5 }).catch((e) => e);
    expect({ kind: err.kind, retryAfterSeconds: err.retryAfterSeconds }).toEqual({ kind, retryAfterSeconds });
  });
});

describe("code requests through a provider", () => {
  const env = (sender: Promise<SmsSender>) => ({ stage: "prod", sms: () => sender });

  it("sends one SMS, echoes no code outside the local stage, and the per-phone limit stops a second request before the provider", async () => {
    const p = phone();
    const first = await requestCode({ phone: p }, ip(), new Date(), env(aliyunSender()));
    expect(first.devCode).toBeUndefined();
    expect(aliyun.requests).toHaveLength(1);
    expect(aliyun.requests[0].params.PhoneNumbers).toBe(p);
    await expect(requestCode({ phone: p }, ip(), new Date(), env(aliyunSender()))).rejects.toMatchObject({ status: 429 });
    expect(aliyun.requests).toHaveLength(1);
  });

  it("maps an invalid number to 400 on phone, provider throttling to 429 with its wait, a template error to 503 with an operator log line", async () => {
    tencent.next.push(tencentStatus("InvalidParameterValue.IncorrectPhoneNumber"));
    await expect(requestCode({ phone: phone() }, ip(), new Date(), env(tencentSender()))).rejects.toMatchObject({ status: 400, details: { fields: [{ path: "phone", message: "not a reachable mobile number" }] } });
    tencent.next.push(tencentStatus("LimitExceeded.PhoneNumberOneHourLimit"));
    await expect(requestCode({ phone: phone() }, ip(), new Date(), env(tencentSender()))).rejects.toMatchObject({ status: 429, retryAfterSeconds: 3600 });
    const log = vi.spyOn(logger, "error");
    try {
      tencent.next.push(tencentError("FailedOperation.TemplateIncorrectOrUnapproved", "template 1110001 is not approved"));
      await expect(requestCode({ phone: phone() }, ip(), new Date(), env(tencentSender()))).rejects.toMatchObject({ status: 503 });
      expect(log).toHaveBeenCalledTimes(1);
      const [line, context] = log.mock.calls[0] as [string, Record<string, unknown>];
      expect(line).toMatch(/^OPERATOR: SMS provider refused the configuration/);
      expect(context).toMatchObject({ provider: "tencent", providerCode: "FailedOperation.TemplateIncorrectOrUnapproved" });
      // no secret and no full phone number in the line
      expect(JSON.stringify([line, context])).not.toMatch(new RegExp(`${TENCENT.secretKey}|${TENCENT.secretId}|\\d{11}`));
    } finally {
      log.mockRestore();
    }
  });

  it("gives the phone its limits back when the county's template is refused (503): the resident's next request goes out at once, six refusals do not spend the hour", async () => {
    const p = phone();
    const log = vi.spyOn(logger, "error").mockImplementation(() => {});
    try {
      // more refusals in a row than the phone's hour allows (five)
      for (let i = 0; i < 6; i++) {
        tencent.next.push(tencentError("FailedOperation.TemplateIncorrectOrUnapproved", "template 1110001 is not approved"));
        await expect(requestCode({ phone: p }, ip(), new Date(), env(tencentSender()))).rejects.toMatchObject({ status: 503 });
      }
      expect(log).toHaveBeenCalledTimes(6);
    } finally {
      log.mockRestore();
    }
    expect(tencent.requests).toHaveLength(6);
    // the county fixed its template: the same phone, the same second, gets its code
    const sent = await requestCode({ phone: p }, ip(), new Date(), env(tencentSender()));
    expect(sent.sent).toBe(true);
    expect(tencent.requests).toHaveLength(7);
    expect(tencent.requests[6].signatureOk).toBe(true);
    // …and now the minute counts as usual, before the provider
    await expect(requestCode({ phone: p }, ip(), new Date(), env(tencentSender()))).rejects.toMatchObject({ status: 429 });
    expect(tencent.requests).toHaveLength(7);
  });

  it("gives the limits back when the stage has no SMS provider configured (503 before any provider)", async () => {
    const p = phone();
    const log = vi.spyOn(logger, "error").mockImplementation(() => {});
    try {
      await expect(requestCode({ phone: p }, ip(), new Date(), { stage: "prod", sms: () => stageSmsSender("prod", {}) })).rejects.toMatchObject({ status: 503 });
    } finally {
      log.mockRestore();
      resetSmsSender();
    }
    await requestCode({ phone: p }, ip(), new Date(), env(aliyunSender()));
    expect(aliyun.requests).toHaveLength(1);
  });

  it.each([
    ["the provider throttles the number (429)", () => tencent.next.push(tencentStatus("LimitExceeded.PhoneNumberOneHourLimit")), 429],
    ["the number cannot receive SMS (400)", () => tencent.next.push(tencentStatus("InvalidParameterValue.IncorrectPhoneNumber")), 400],
  ])("keeps the phone's charge when %s: the next request stops at our own limit, before the provider", async (_what, arm, status) => {
    const p = phone();
    arm();
    await expect(requestCode({ phone: p }, ip(), new Date(), env(tencentSender()))).rejects.toMatchObject({ status });
    const again = await requestCode({ phone: p }, ip(), new Date(), env(tencentSender())).catch((e) => e);
    expect(again).toMatchObject({ status: 429 });
    expect(again.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(tencent.requests).toHaveLength(1);
  });

  it("sends at most once when the provider's answer is lost (the request may have been delivered): 503, one request", async () => {
    aliyun.next.push("drop");
    const p = phone();
    const log = vi.spyOn(logger, "warn");
    try {
      await expect(requestCode({ phone: p }, ip(), new Date(), env(aliyunSender()))).rejects.toMatchObject({ status: 503 });
      expect(aliyun.requests).toHaveLength(1);
      // the request's URL has the number in its query: the log line has neither
      expect(log).toHaveBeenCalledTimes(1);
      expect(JSON.stringify(log.mock.calls[0])).not.toContain(p);
    } finally {
      log.mockRestore();
    }
    // the SMS may have arrived: the minute stands, no second SMS right away
    await expect(requestCode({ phone: p }, ip(), new Date(), env(aliyunSender()))).rejects.toMatchObject({ status: 429 });
    expect(aliyun.requests).toHaveLength(1);
  });

  it("retries once when the request never reached the provider (connection refused), sending exactly one SMS", async () => {
    let calls = 0;
    const real = await aliyunSender();
    const flaky: SmsSender = {
      name: "aliyun",
      async sendCode(m) {
        calls++;
        // the first attempt goes to a closed port: a refused connection, nothing delivered
        if (calls === 1) return (await aliyunSender({ endpoint: "http://127.0.0.1:9" })).sendCode(m);
        return real.sendCode(m);
      },
    };
    await requestCode({ phone: phone() }, ip(), new Date(), { stage: "prod", sms: async () => flaky });
    expect(calls).toBe(2);
    expect(aliyun.requests).toHaveLength(1);
  });
});
