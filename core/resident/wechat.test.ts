import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useStackEnv } from "../../test/client.ts";
import { wechatFake, type WechatFake } from "../../test/fakes/wechat.ts";
import { requestCode, residentProfile, verifyCode } from "./service.ts";
import { resetWechat, wechatLogin, type WechatConfig } from "./wechat.ts";

/** WeChat mini-program sign-in against a loopback fake of WeChat's API, on the stack's DynamoDB. */
const GRID = "350206001001001";
const OTHER_GRID = "350206002001001";
const APP = { appId: "wx1234567890abcdef", appSecret: "fake-app-secret-0123456789abcdef" };

let wx: WechatFake;
let cfg: WechatConfig;
let n = 0;
const uniq = () => `${process.pid}-${Date.now() % 1e7}-${n++}`;
let ipSeq = 0;
const ip = () => `10.88.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`;
const phone = () => `136${String(process.pid % 10000).padStart(4, "0")}${String((Date.now() + n++) % 10000).padStart(4, "0")}`;

/** a fresh wx.login() code for a user */
const loginCode = (user: { openid: string; unionid?: string }) => {
  const code = `code-${uniq()}`;
  wx.codes.set(code, user);
  return code;
};
const phoneCode = (p: string) => {
  const code = `pc-${uniq()}`;
  wx.phoneCodes.set(code, p);
  return code;
};
const principal = (s: { resident: { id: string; grid: { id: string } | null } }) => ({ kind: "resident" as const, id: s.resident.id, unitId: s.resident.grid?.id, unitPath: "" });

beforeAll(async () => {
  useStackEnv();
  resetWechat();
  wx = await wechatFake(APP);
  cfg = { ...APP, apiBase: wx.url };
});
afterAll(() => wx?.close());

describe("WeChat mini-program sign-in", () => {
  it("signs a new user in without a phone, and the same openid again is the same resident, moved to the scanned grid", async () => {
    const user = { openid: `o-${uniq()}` };
    const first = await wechatLogin({ code: loginCode(user), gridCode: GRID }, ip(), new Date(), cfg);
    expect(first.resident).toMatchObject({ anonymous: false, phoneMasked: null, grid: { code: GRID } });
    const again = await wechatLogin({ code: loginCode(user), gridCode: OTHER_GRID }, ip(), new Date(), cfg);
    expect(again.resident.id).toBe(first.resident.id);
    expect(again.resident.grid?.code).toBe(OTHER_GRID);
  });

  it("with a phone code is the same resident as an SMS sign-in with that phone, and stays so without the phone", async () => {
    const p = phone();
    const sent = await requestCode({ phone: p }, ip(), new Date(), { stage: "local" });
    const bySms = await verifyCode({ phone: p, code: sent.devCode, gridCode: GRID }, ip(), new Date());
    const user = { openid: `o-${uniq()}`, unionid: `u-${uniq()}` };
    const byWechat = await wechatLogin({ code: loginCode(user), gridCode: GRID, phoneCode: phoneCode(p) }, ip(), new Date(), cfg);
    expect(byWechat.resident.id).toBe(bySms.resident.id);
    expect(byWechat.resident.phoneMasked).toBe(`${p.slice(0, 3)}****${p.slice(-4)}`);
    const later = await wechatLogin({ code: loginCode(user), gridCode: GRID }, ip(), new Date(), cfg);
    expect(later.resident.id).toBe(bySms.resident.id);
    expect(wx.calls.filter((c) => c === "/wxa/business/getuserphonenumber")).not.toHaveLength(0);
  });

  it("a WeChat-only resident who binds a new phone keeps their record, and an SMS sign-in with that phone finds it", async () => {
    const user = { openid: `o-${uniq()}` };
    const first = await wechatLogin({ code: loginCode(user), gridCode: GRID }, ip(), new Date(), cfg);
    const p = phone();
    const bound = await wechatLogin({ code: loginCode(user), gridCode: GRID, phoneCode: phoneCode(p) }, ip(), new Date(), cfg);
    expect(bound.resident.id).toBe(first.resident.id);
    expect((await residentProfile(principal(bound))).phoneMasked).toBe(`${p.slice(0, 3)}****${p.slice(-4)}`);
    const sent = await requestCode({ phone: p }, ip(), new Date(), { stage: "local" });
    const bySms = await verifyCode({ phone: p, code: sent.devCode, gridCode: GRID }, ip(), new Date());
    expect(bySms.resident.id).toBe(first.resident.id);
  });

  it("maps WeChat's invalid code (40029) and used code (40163) to 400 on code, frequency limit (45011) to 429, a wrong secret to 503", async () => {
    await expect(wechatLogin({ code: "never-issued", gridCode: GRID }, ip(), new Date(), cfg)).rejects.toMatchObject({ status: 400, details: { fields: [{ path: "code" }], wechat: 40029 } });
    const code = loginCode({ openid: `o-${uniq()}` });
    await wechatLogin({ code, gridCode: GRID }, ip(), new Date(), cfg);
    await expect(wechatLogin({ code, gridCode: GRID }, ip(), new Date(), cfg)).rejects.toMatchObject({ status: 400, details: { wechat: 40163 } });
    wx.failNextLogin = 45011;
    await expect(wechatLogin({ code: loginCode({ openid: `o-${uniq()}` }), gridCode: GRID }, ip(), new Date(), cfg)).rejects.toMatchObject({ status: 429, retryAfterSeconds: 60 });
    await expect(wechatLogin({ code: loginCode({ openid: `o-${uniq()}` }), gridCode: GRID }, ip(), new Date(), { ...cfg, appSecret: "wrong" })).rejects.toMatchObject({ status: 503 });
  });

  it("refuses an unknown grid (404) before calling WeChat, and unknown fields (400)", async () => {
    const before = wx.calls.length;
    await expect(wechatLogin({ code: loginCode({ openid: `o-${uniq()}` }), gridCode: "350206999999999" }, ip(), new Date(), cfg)).rejects.toMatchObject({ status: 404 });
    await expect(wechatLogin({ code: "x", gridCode: GRID, openid: "forged" }, ip(), new Date(), cfg)).rejects.toMatchObject({ status: 400, details: { fields: [{ path: "openid", message: "Unknown field" }] } });
    expect(wx.calls.length).toBe(before);
  });
});
