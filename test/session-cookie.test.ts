import { describe, it, expect, beforeAll } from "vitest";
import { randomBytes } from "node:crypto";
import { apiUrl, call } from "./client.ts";
import { tokenFor } from "./fixtures.ts";

/**
 * The staff console's refresh token lives in an HttpOnly cookie (issue #19, core/user/cookie.ts):
 * login and refresh set it, refresh reads it, logout clears it, and a cookie-authenticated request
 * is refused when it could come from another site (custom header, Sec-Fetch-Site, Origin).
 */
const COOKIE = /^wg_srt=([A-Za-z0-9_-]{20,}); Path=\/v1\/auth; Max-Age=1209600; HttpOnly; Secure; SameSite=Strict$/;
const CLEARED = "wg_srt=; Path=/v1/auth; Max-Age=0; HttpOnly; Secure; SameSite=Strict";

let rootUnitId: string;
let ownOrigin: string;

async function newUser(): Promise<{ username: string; password: string }> {
  const username = `ck${randomBytes(4).toString("hex")}`;
  const password = `Cookie-${randomBytes(6).toString("hex")}`;
  const r = await call("POST", "/v1/users", { token: await tokenFor("admin"), body: { username, displayName: "会话测试", password, assignments: [{ role: "auditor", unitId: rootUnitId }] } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { username, password };
}

/** What the console sends: its own origin, same-origin fetch metadata, the cookie-mode header. */
const browser = (cookie?: string): Record<string, string> => ({
  "x-wangge-session": "cookie",
  origin: ownOrigin,
  "sec-fetch-site": "same-origin",
  ...(cookie ? { cookie: `other=1; wg_srt=${cookie}` } : {}),
});
const tokenOf = (h: Headers) => COOKIE.exec(h.get("set-cookie") ?? "")?.[1];

async function signIn(): Promise<{ cookie: string; body: any; set: string }> {
  const u = await newUser();
  const r = await call("POST", "/v1/auth/login", { body: { username: u.username, password: u.password }, headers: browser() });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { cookie: tokenOf(r.headers)!, body: r.body, set: r.headers.get("set-cookie") ?? "" };
}

beforeAll(async () => {
  ownOrigin = new URL(apiUrl()).origin;
  const me = await call("GET", "/v1/me", { token: await tokenFor("admin") });
  rootUnitId = me.body.assignments[0].unitId;
});

describe("staff refresh token in an HttpOnly cookie (#19)", () => {
  it("login in cookie mode sets wg_srt HttpOnly, Secure, SameSite=Strict on Path=/v1/auth, and the body carries no refresh token", async () => {
    const s = await signIn();
    expect(s.set).toMatch(COOKIE);
    expect(s.body).not.toHaveProperty("refreshToken");
    expect(JSON.stringify(s.body)).not.toContain(s.cookie);
    expect(s.body.accessToken).toBeTruthy();
    const me = await call("GET", "/v1/me", { token: s.body.accessToken });
    expect(me.body.username).toBe(s.body.user.username);
  });

  it("refreshes from the cookie alone (no body): a new token only in Set-Cookie, single use, and a replayed one revokes the family", async () => {
    const s = await signIn();
    const renewed = await call("POST", "/v1/auth/refresh", { headers: browser(s.cookie) });
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
    expect(renewed.body).not.toHaveProperty("refreshToken");
    expect(renewed.body.user.username).toBe(s.body.user.username);
    expect(renewed.headers.get("cache-control")).toBe("no-store");
    const next = tokenOf(renewed.headers)!;
    expect(next).toBeTruthy();
    expect(next).not.toBe(s.cookie);
    expect((await call("GET", "/v1/me", { token: renewed.body.accessToken })).status).toBe(200);
    // the first cookie was used up; using it again revokes the whole family, the newer cookie too
    expect((await call("POST", "/v1/auth/refresh", { headers: browser(s.cookie) })).status).toBe(401);
    const after = await call("POST", "/v1/auth/refresh", { headers: browser(next) });
    expect(after.status).toBe(401);
    expect(after.body.error.details.reason).toBe("refresh_invalid");
  });

  it("refuses a cookie refresh without the X-Wangge-Session header, from another site or another origin (403 csrf), without spending the token", async () => {
    const s = await signIn();
    const cookie = `wg_srt=${s.cookie}`;
    const noHeader = await call("POST", "/v1/auth/refresh", { headers: { cookie, origin: ownOrigin } });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.error.details).toEqual({ reason: "csrf", check: "x-wangge-session" });
    const crossSite = await call("POST", "/v1/auth/refresh", { headers: { ...browser(s.cookie), "sec-fetch-site": "cross-site" } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.error.details).toEqual({ reason: "csrf", check: "sec-fetch-site" });
    const otherOrigin = await call("POST", "/v1/auth/refresh", { headers: { ...browser(s.cookie), origin: "https://evil.example" } });
    expect(otherOrigin.status).toBe(403);
    expect(otherOrigin.body.error.details).toEqual({ reason: "csrf", check: "origin" });
    expect(otherOrigin.headers.get("set-cookie")).toBeNull();
    // none of them touched the token: the console's own request still renews with it
    const own = await call("POST", "/v1/auth/refresh", { headers: browser(s.cookie) });
    expect(own.status).toBe(200);
    // and a login in cookie mode from another origin is refused the same way (no login CSRF)
    const u = await newUser();
    const foreignLogin = await call("POST", "/v1/auth/login", { body: { username: u.username, password: u.password }, headers: { ...browser(), origin: "https://evil.example" } });
    expect(foreignLogin.status).toBe(403);
  });

  it("logout clears the cookie with the same Path and attributes and revokes its token; `everywhere` ends the user's other sessions", async () => {
    const s = await signIn();
    const out = await call("POST", "/v1/auth/logout", { headers: browser(s.cookie) });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toBe(CLEARED);
    expect((await call("POST", "/v1/auth/refresh", { headers: browser(s.cookie) })).status).toBe(401);
    // idempotent: again (token already revoked), and without any cookie, the same answer
    const again = await call("POST", "/v1/auth/logout", { headers: browser(s.cookie) });
    expect(again.status).toBe(204);
    expect(again.headers.get("set-cookie")).toBe(CLEARED);
    expect((await call("POST", "/v1/auth/logout", { headers: browser() })).headers.get("set-cookie")).toBe(CLEARED);

    // two browsers of one user; "log out everywhere" from the first ends the second
    const u = await newUser();
    const login = async () => tokenOf((await call("POST", "/v1/auth/login", { body: { username: u.username, password: u.password }, headers: browser() })).headers)!;
    const [a, b] = [await login(), await login()];
    const everywhere = await call("POST", "/v1/auth/logout", { body: { everywhere: true }, headers: browser(a) });
    expect(everywhere.status).toBe(204);
    expect((await call("POST", "/v1/auth/refresh", { headers: browser(b) })).status).toBe(401);
  });

  it("answers a refresh with no cookie and no body token 401 refresh_invalid (a signed-out console on load)", async () => {
    const r = await call("POST", "/v1/auth/refresh", { headers: browser() });
    expect(r.status).toBe(401);
    expect(r.body.error.details.reason).toBe("refresh_invalid");
  });

  it("keeps the body token for clients that do not ask for the cookie (partners, scripts), with no Set-Cookie", async () => {
    const u = await newUser();
    const r = await call("POST", "/v1/auth/login", { body: { username: u.username, password: u.password } });
    expect(r.status).toBe(200);
    expect(r.body.refreshToken).toEqual(expect.any(String));
    expect(r.headers.get("set-cookie")).toBeNull();
    const renewed = await call("POST", "/v1/auth/refresh", { body: { refreshToken: r.body.refreshToken } });
    expect(renewed.status).toBe(200);
    expect(renewed.body.refreshToken).toEqual(expect.any(String));
    expect(renewed.headers.get("set-cookie")).toBeNull();
  });

  it("documents the refresh and logout bodies as optional (the cookie may carry the token)", async () => {
    const doc = await call("GET", "/v1/openapi.json");
    expect(doc.body.paths["/v1/auth/refresh"].post.requestBody.required).toBe(false);
    expect(doc.body.paths["/v1/auth/logout"].post.requestBody.required).toBe(false);
  });
});
