import { createHmac } from "node:crypto";
import { ulid } from "ulid";
import * as z from "zod/mini";
import { residentPhoneKeys } from "../auth/resident-key.ts";
import { getParameter } from "../auth/secret.ts";
import { clock } from "../clock.ts";
import { ConflictError, ForbiddenError, InvalidError, RateLimitedError, UnavailableError } from "../errors.ts";
import { logger } from "../log.ts";
import { parse } from "../validate.ts";
import { gridByCode } from "./grids.ts";
import { ipBucket } from "./limits.ts";
import { take } from "../ratelimit/window.ts";
import { maskPhone, phoneHashes } from "./phone.ts";
import { getResident, insertResident, moveResident, touchResident } from "./repo.ts";
import { register, session } from "./service.ts";
import { residentIdByPhone } from "./repo.ts";
import { bindPhone, linkedResident, putWechatLink } from "./repo-wechat.ts";
import type { Resident, ResidentSession } from "./schema.ts";

/**
 * WeChat mini-program login (`POST /v1/residents/wechat`, docs/partner-api.md "WeChat").
 *
 * The mini-program calls `wx.login()` and sends its `code`; the server exchanges it with
 * `jscode2session` for the user's `openid` (and `unionid` when the app is bound to an Open
 * Platform account). The resident is recognised by an HMAC of the unionid, else the openid, under
 * the resident key (never stored in clear). With `phoneCode` (from `<button open-type="getPhoneNumber">`)
 * the phone number is fetched with `getuserphonenumber` and the resident is the phone's resident —
 * the same record as an SMS sign-in — and the WeChat identity is linked to it.
 *
 * Configuration: the SST secret WECHAT_CONFIG (JSON `{appId, appSecret}`; `apiBase` for tests),
 * locally `WANGGE_WECHAT_CONFIG`. The session key WeChat returns is not kept (we never decrypt
 * user data with it).
 */
export const WechatConfig = z.object({ appId: z.string().check(z.minLength(1)), appSecret: z.string().check(z.minLength(1)), apiBase: z.optional(z.url()) });
export type WechatConfig = z.infer<typeof WechatConfig>;

export const WechatLoginRequest = z.strictObject({
    /** from wx.login(), valid 5 minutes, single use */
    code: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
    /** the grid whose QR code opened the mini-program */
    gridCode: z.string().check(z.trim(), z.maxLength(24), z.regex(/^\d{6,24}$/, "a grid code: digits only, 6 to 24")),
    /** from the getPhoneNumber button: binds the phone (optional) */
    phoneCode: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(128))),
  });

const API = "https://api.weixin.qq.com";
const LOGIN_PER_IP_HOUR = { limit: 60, seconds: 3600 };

/** WeChat `errcode`s → API errors. https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html */
function wechatError(errcode: number, errmsg: string, field: "code" | "phoneCode"): Error {
  switch (errcode) {
    case 40029: // invalid code
    case 40163: // code been used
      return new InvalidError("The WeChat login code is invalid or used; call wx.login() again", { fields: [{ path: field, message: `WeChat ${errcode}: invalid or used code` }], wechat: errcode });
    case 45011: // API minute-quota reached for this user
      return new RateLimitedError(60, "WeChat refuses more logins for this user right now; try again in a minute");
    case 40226: // high-risk user
      return new ForbiddenError("WeChat blocked this login (high-risk user)");
    case 40013: // invalid appid
    case 40125: // invalid appsecret
    case 41002:
    case 41004:
    case 40001: // invalid credential / access token
      logger.error("OPERATOR: WeChat refused the mini-program credentials; fix the stage's WECHAT_CONFIG secret", { errcode, errmsg: errmsg.slice(0, 200) });
      return new UnavailableError(300, "WeChat login is not configured correctly for this county");
    default:
      logger.warn("wechat api error", { errcode, errmsg: errmsg.slice(0, 200) });
      return new UnavailableError(10, "WeChat is busy; try again");
  }
}

async function wechatJson(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  } catch {
    throw new UnavailableError(10, "WeChat could not be reached; try again");
  }
  if (!res.ok) throw new UnavailableError(10, `WeChat answered HTTP ${res.status}; try again`);
  return (await res.json()) as Record<string, unknown>;
}

/** jscode2session: the user's openid/unionid for this app. */
export async function codeToSession(cfg: WechatConfig, code: string): Promise<{ openid: string; unionid?: string }> {
  const q = new URLSearchParams({ appid: cfg.appId, secret: cfg.appSecret, js_code: code, grant_type: "authorization_code" });
  const out = await wechatJson(`${cfg.apiBase ?? API}/sns/jscode2session?${q}`);
  if (out.errcode && out.errcode !== 0) throw wechatError(Number(out.errcode), String(out.errmsg ?? ""), "code");
  if (typeof out.openid !== "string" || !out.openid) throw new UnavailableError(10, "WeChat returned no openid; try again");
  return { openid: out.openid, unionid: typeof out.unionid === "string" && out.unionid ? out.unionid : undefined };
}

const tokens = new Map<string, { token: string; until: number }>();

/** The app's access token (`/cgi-bin/stable_token`, shared with other callers of the app), cached until 5 minutes before it expires. */
async function accessToken(cfg: WechatConfig): Promise<string> {
  const now = clock.now().getTime();
  const held = tokens.get(cfg.appId);
  if (held && held.until > now) return held.token;
  const out = await wechatJson(`${cfg.apiBase ?? API}/cgi-bin/stable_token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credential", appid: cfg.appId, secret: cfg.appSecret, force_refresh: false }),
  });
  if (out.errcode && out.errcode !== 0) throw wechatError(Number(out.errcode), String(out.errmsg ?? ""), "phoneCode");
  const token = String(out.access_token ?? "");
  if (!token) throw new UnavailableError(10, "WeChat returned no access token; try again");
  tokens.set(cfg.appId, { token, until: now + (Number(out.expires_in ?? 7200) - 300) * 1000 });
  return token;
}

/** getuserphonenumber: the mainland number behind a phone code. */
export async function phoneOf(cfg: WechatConfig, phoneCode: string): Promise<string> {
  const token = await accessToken(cfg);
  const out = await wechatJson(`${cfg.apiBase ?? API}/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(token)}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code: phoneCode }),
  });
  if (out.errcode && out.errcode !== 0) throw wechatError(Number(out.errcode), String(out.errmsg ?? ""), "phoneCode");
  const info = out.phone_info as { purePhoneNumber?: string; countryCode?: string } | undefined;
  const phone = info?.purePhoneNumber ?? "";
  if ((info?.countryCode ?? "86") !== "86" || !/^1[3-9]\d{9}$/.test(phone)) {
    throw new InvalidError("Only mainland China mobile numbers can be bound", { fields: [{ path: "phoneCode", message: "not a mainland mobile number" }] });
  }
  return phone;
}

/** HMAC of the county app's WeChat identity under the current resident key. */
async function wechatHash(cfg: WechatConfig, id: { openid: string; unionid?: string }): Promise<string> {
  const [key] = await residentPhoneKeys();
  const subject = id.unionid ? `unionid:${id.unionid}` : `openid:${cfg.appId}:${id.openid}`;
  return createHmac("sha256", key).update(`wechat:${subject}`).digest("base64url");
}

/** Point the WeChat identity at a resident: created once, or moved from the resident read before (conditional). */
async function link(idHash: string, residentId: string, before: string | undefined, now: Date): Promise<boolean> {
  if (before === residentId) return true;
  return putWechatLink(idHash, residentId, before, now);
}

/**
 * A resident who signed in with WeChat only and now binds a phone nobody registered: the phone
 * joins that record (their reports stay theirs). Conditional on the version read and on the phone
 * being free; undefined when this does not apply (the phone's own resident is used instead).
 */
async function phoneForWechatResident(idHash: string, hashes: string[], masked: string, grid: { id: string; path: string; code: string }, now: Date): Promise<Resident | undefined> {
  const linked = await linkedResident(idHash);
  const r = linked ? await getResident(linked) : undefined;
  if (!r || !r.phoneHash.startsWith("wx:")) return undefined;
  for (const h of hashes) if (await residentIdByPhone(h)) return undefined;
  const next: Resident = { ...r, phoneHash: hashes[0], phoneMasked: masked, version: r.version + 1, updatedAt: now.toISOString() };
  if (!(await bindPhone(r, next))) return undefined;
  return (await inGrid(next, grid, now)) ?? next;
}

/** In the grid: touched when already there, else moved (conditional on the version read). */
async function inGrid(r: Resident, grid: { id: string; path: string; code: string }, now: Date): Promise<Resident | undefined> {
  if (r.unitId === grid.id && r.unitPath === grid.path) return touchResident(r, now);
  return moveResident(r, grid, now);
}

/** `POST /v1/residents/wechat {code, gridCode, phoneCode?}`: a resident session from a mini-program login. */
export async function wechatLogin(input: unknown, ip: string, now: Date, config: WechatConfig | (() => Promise<WechatConfig>)): Promise<ResidentSession> {
  const data = parse(WechatLoginRequest, input, "request");
  await take(`res-wechat-ip#${ipBucket(ip)}`, LOGIN_PER_IP_HOUR, now);
  const grid = await gridByCode(data.gridCode);
  // the configuration is read once the request is known to be well-formed (400/404 come first)
  const cfg = typeof config === "function" ? await config() : config;
  const id = await codeToSession(cfg, data.code);
  const idHash = await wechatHash(cfg, id);
  if (data.phoneCode) {
    // the phone's resident, whichever way they signed in before; the WeChat identity follows it
    const phone = await phoneOf(cfg, data.phoneCode);
    const hashes = await phoneHashes(phone);
    const resident = (await phoneForWechatResident(idHash, hashes, maskPhone(phone), grid, now)) ?? (await register(hashes, maskPhone(phone), grid, now));
    for (let i = 0; i < 3; i++) {
      if (await link(idHash, resident.id, await linkedResident(idHash), now)) return session(resident, now);
    }
    throw new ConflictError("This WeChat account is being linked concurrently; retry");
  }
  for (let i = 0; i < 3; i++) {
    const linked = await linkedResident(idHash);
    const known = linked ? await getResident(linked) : undefined;
    if (known) {
      const placed = await inGrid(known, grid, now);
      if (placed) return session(placed, now);
      continue;
    }
    // first sign-in without a phone: a resident with no phone number; its unique reference is the WeChat hash
    const at = now.toISOString();
    const r: Resident = { id: ulid(now.getTime()), phoneHash: `wx:${idHash}`, phoneMasked: "", unitId: grid.id, unitPath: grid.path, gridCode: grid.code, version: 1, createdAt: at, updatedAt: at, lastSeenAt: at };
    // a link left by a deleted resident (retention) is taken over, conditionally on what was read
    if ((await insertResident(r)) && (await link(idHash, r.id, linked, now))) return session(r, now);
  }
  throw new UnavailableError(1, "Concurrent sign-in in progress, retry");
}

const TTL_MS = 5 * 60_000;
let cached: { at: number; cfg: Promise<WechatConfig | undefined> } | undefined;

/** The stage's mini-program settings (secret WECHAT_CONFIG or WANGGE_WECHAT_CONFIG); 503 when absent. */
export async function stageWechatConfig(env: Record<string, string | undefined> = process.env): Promise<WechatConfig> {
  const now = clock.now().getTime();
  if (!cached || now - cached.at >= TTL_MS) {
    const entry = {
      at: now,
      cfg: (async () => {
        const raw = env.WANGGE_WECHAT_CONFIG ?? (env.SST_APP && env.SST_STAGE && env.WECHAT_CONFIGURED ? await getParameter(`/sst/${env.SST_APP}/${env.SST_STAGE}/Secret/WECHAT_CONFIG/value`) : undefined);
        if (!raw) return undefined;
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          json = undefined;
        }
        const parsed = WechatConfig.safeParse(json);
        if (!parsed.success) logger.error("OPERATOR: WECHAT_CONFIG is not JSON {appId, appSecret}", { fields: parsed.error.issues.map((i) => i.path.join(".")) });
        return parsed.success ? parsed.data : undefined;
      })(),
    };
    entry.cfg.catch(() => {
      if (cached === entry) cached = undefined;
    });
    cached = entry;
  }
  const cfg = await cached.cfg;
  if (!cfg) throw new UnavailableError(300, "WeChat login is not configured for this county");
  return cfg;
}

/** Tests: forget the cached configuration and access tokens. */
export function resetWechat(): void {
  cached = undefined;
  tokens.clear();
}
