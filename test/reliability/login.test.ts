import { describe, it, expect, beforeAll } from "vitest";
import { request } from "node:http";
import { randomBytes } from "node:crypto";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { SignJWT } from "jose";
import { advanceClock, apiUrl, call, useStackEnv } from "../client.ts";
import { tokenFor } from "../fixtures.ts";
import { ownStack } from "../own-stack.ts";
import { db, tableName } from "../../core/db/client.ts";
import * as keys from "../../core/db/keys.ts";
import { hashPassword, PARAMS } from "../../core/auth/password.ts";
import { jwtKey } from "../../core/auth/secret.ts";
import { LOGIN_LIMITS } from "../../core/user/login.ts";

/**
 * Login and sessions (issue 19): lockout without races, rolling per-address and per-username
 * limits, sessions that end with their reason, refresh-token families, token audience and type,
 * password hashes upgraded on login. Own stack: it spends login budgets and moves the clock.
 */
const stack = ownStack();

/** POST a login from a chosen loopback source address (127.0.0.0/8), so per-address budgets can be told apart. */
function loginFrom(from: string, username: string, password: string): Promise<{ status: number; body: any; retryAfter: string | null }> {
  const url = new URL(`${apiUrl()}/v1/auth/login`);
  const payload = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: "POST", localAddress: from, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, retryAfter: (res.headers["retry-after"] as string) ?? null }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

let rootUnitId: string;
let address = 10;
const freshAddress = () => `127.0.${Math.floor(address / 250)}.${(address++ % 250) + 2}`;

async function newUser(password: string, role = "auditor"): Promise<{ username: string; id: string }> {
  const username = `lg${randomBytes(4).toString("hex")}`;
  const r = await call("POST", "/v1/users", { token: await tokenFor("admin"), body: { username, displayName: "登录测试", password, assignments: [{ role, unitId: rootUnitId }] } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { username, id: r.body.id };
}
const userItem = async (id: string) => (await db().send(new GetCommand({ TableName: tableName(), Key: keys.user(id), ConsistentRead: true }))).Item!;

beforeAll(async () => {
  useStackEnv();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = stack.get().env.AWS_ENDPOINT_URL_DYNAMODB;
  const me = await call("GET", "/v1/me", { token: await tokenFor("admin") });
  rootUnitId = me.body.assignments[0].unitId;
});

/**
 * Every refused attempt does the scrypt work of a real check (unknown users, locked accounts and
 * accounts refused untried check a dummy hash made with today's parameters, p=5), so a burst of
 * 200 attempts, or 50 in a row, costs that much CPU on the shared test machine: minutes, not seconds.
 */
const SCRYPT_HEAVY = 300_000;

describe("lockout", () => {
  it("holds under 200 concurrent wrong passwords: nothing gets in, one lock is set, and even the right password is refused like a wrong one", async () => {
    const password = `Right-${randomBytes(6).toString("hex")}`;
    const u = await newUser(password);
    const before = Date.parse((await call("GET", "/_local/clock")).body.now);
    const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => loginFrom(freshAddress(), u.username, `wrong-${i}-password`)));
    // 401 while the username's failure budget lasts, 429 once it is spent: refusals both, never a session
    expect(burst.filter((r) => r.status === 200)).toEqual([]);
    expect(burst.filter((r) => r.status !== 401 && r.status !== 429)).toEqual([]);
    expect(burst.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(LOGIN_LIMITS.perUsername.limit);
    const after = await userItem(u.id);
    expect(after.lockCount).toBe(1);
    // the first lock lasts 5 minutes from the attempt that set it, an instant during the burst (the stack's
    // clock runs on while it lasts, a minute or two of scrypt work on a loaded machine)
    const until = Date.parse(after.lockedUntil);
    const end = Date.parse((await call("GET", "/_local/clock")).body.now);
    expect(until - before).toBeGreaterThanOrEqual(5 * 60_000);
    expect(until - end).toBeLessThanOrEqual(5 * 60_000);

    // the username's failure window (1 h) has room again after it rolls on; the lock is what refuses now
    await advanceClock(3);
    const wrong = await loginFrom(freshAddress(), "nobody-at-all-here", "whatever-password");
    const right = await loginFrom(freshAddress(), u.username, password);
    expect(wrong.status).toBe(401);
    expect(right.status).toBe(429); // the per-username budget (20/h) is still spent by the burst
    await advanceClock(61);
    const locked = await userItem(u.id);
    expect(locked.lockedUntil < (await call("GET", "/_local/clock")).body.now).toBe(true);
    const ok = await loginFrom(freshAddress(), u.username, password);
    expect(ok.status).toBe(200);
    expect(await userItem(u.id)).toMatchObject({ failedLogins: 0 });
    expect((await userItem(u.id)).lockCount).toBeUndefined();
  }, SCRYPT_HEAVY);

  it("answers a locked account exactly like a wrong password (401, same message), also for the right password", async () => {
    const password = `Right-${randomBytes(6).toString("hex")}`;
    const u = await newUser(password);
    const from = freshAddress();
    for (let i = 0; i < 5; i++) expect((await loginFrom(from, u.username, `wrong-${i}-password`)).status).toBe(401);
    const wrong = await loginFrom(from, u.username, "wrong-again-password");
    const right = await loginFrom(from, u.username, password);
    const unknown = await loginFrom(from, "nobody-at-all-here", "whatever-password");
    for (const r of [wrong, right, unknown]) {
      expect(r.status).toBe(401);
      expect(r.body.error).toEqual(unknown.body.error);
    }
    await advanceClock(6);
    expect((await loginFrom(from, u.username, password)).status).toBe(200);
  }, SCRYPT_HEAVY);
});

describe("rolling limits per source address", () => {
  it("refuses an address after its failed logins fill the window (429 with Retry-After), while other addresses still log in", async () => {
    const from = freshAddress();
    for (let i = 0; i < LOGIN_LIMITS.perIp.limit; i++) expect((await loginFrom(from, `spray${i}-${randomBytes(3).toString("hex")}`, "guess-password-1")).status).toBe(401);
    const refused = await loginFrom(from, "anyone-else-here", "guess-password-1");
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(LOGIN_LIMITS.perIp.seconds);
    const password = `Right-${randomBytes(6).toString("hex")}`;
    const u = await newUser(password);
    expect((await loginFrom(from, u.username, password)).status).toBe(429); // the address, not the account, is refused
    expect((await loginFrom(freshAddress(), u.username, password)).status).toBe(200);
    await advanceClock(16);
    expect((await loginFrom(from, u.username, password)).status).toBe(200);
  }, SCRYPT_HEAVY);
});

describe("sessions end when their reason ends", () => {
  async function session(username: string, password: string) {
    const r = await loginFrom(freshAddress(), username, password);
    expect(r.status).toBe(200);
    return r.body as { accessToken: string; refreshToken: string };
  }
  const refresh = (refreshToken: string) => call("POST", "/v1/auth/refresh", { body: { refreshToken } });

  it("rotates refresh tokens, and a rotated token used again revokes its whole family (not other logins)", async () => {
    const password = `Right-${randomBytes(6).toString("hex")}`;
    const u = await newUser(password);
    const a = await session(u.username, password);
    const other = await session(u.username, password);
    const a2 = await refresh(a.refreshToken);
    expect(a2.status).toBe(200);
    expect((await refresh(a.refreshToken)).status).toBe(401); // replayed
    expect((await refresh(a2.body.refreshToken)).status).toBe(401); // the family is gone
    expect((await refresh(other.refreshToken)).status).toBe(200); // another login is not
  });

  it("ends every session on a password change, a deactivation, a change of roles and 'log out everywhere'", async () => {
    const admin = await tokenFor("admin");
    const password = `Right-${randomBytes(6).toString("hex")}`;
    const u = await newUser(password);
    const version = async () => (await call("GET", `/v1/users/${u.id}`, { token: admin })).body.version;

    let s = await session(u.username, password);
    expect((await call("POST", `/v1/users/${u.id}/password`, { token: admin, body: { password: `${password}-2` } })).status).toBe(204);
    expect((await refresh(s.refreshToken)).status).toBe(401);

    s = await session(u.username, `${password}-2`);
    const roles = await call("PATCH", `/v1/users/${u.id}`, { token: admin, body: { version: await version(), assignments: [{ role: "supervisor", unitId: rootUnitId }] } });
    expect(roles.status, JSON.stringify(roles.body)).toBe(200);
    expect((await refresh(s.refreshToken)).status).toBe(401);

    s = await session(u.username, `${password}-2`);
    const kept = await session(u.username, `${password}-2`);
    expect((await call("PATCH", `/v1/users/${u.id}`, { token: admin, body: { version: await version(), displayName: "改名不影响会话" } })).status).toBe(200);
    expect((await refresh(kept.refreshToken)).status).toBe(200); // a change that is no reason keeps sessions
    expect((await call("POST", "/v1/auth/logout", { body: { refreshToken: s.refreshToken, everywhere: true } })).status).toBe(204);
    expect((await refresh(s.refreshToken)).status).toBe(401);

    s = await session(u.username, `${password}-2`);
    expect((await call("PATCH", `/v1/users/${u.id}`, { token: admin, body: { version: await version(), active: false } })).status).toBe(200);
    expect((await refresh(s.refreshToken)).status).toBe(401);
  });
});

describe("access tokens", () => {
  it("are refused without this API's audience or with another token type, even when signed with the right key", async () => {
    const me = (await call("GET", "/v1/me", { token: await tokenFor("admin") })).body;
    const now = Math.floor(Date.parse((await call("GET", "/_local/clock")).body.now) / 1000);
    const claims = { kind: "user", name: "admin", asg: me.assignments };
    const make = (header: Record<string, unknown>, aud?: string) => {
      const t = new SignJWT(claims).setProtectedHeader({ alg: "HS256", ...header }).setSubject(me.id).setIssuer("wangge").setIssuedAt(now).setExpirationTime(now + 600);
      return (aud ? t.setAudience(aud) : t).sign(await_key);
    };
    const await_key = await jwtKey();
    expect((await call("GET", "/v1/me", { token: await make({ typ: "at+jwt" }, "wangge-api") })).status).toBe(200);
    for (const token of [await make({ typ: "at+jwt" }), await make({ typ: "JWT" }, "wangge-api"), await make({ typ: "at+jwt" }, "another-api")]) {
      const r = await call("GET", "/v1/me", { token });
      expect(r.status).toBe(401);
    }
  });
});

describe("password hashes", () => {
  it("upgrades a hash made with older scrypt parameters at the next successful login", async () => {
    const password = `Right-${randomBytes(6).toString("hex")}`;
    const u = await newUser(password);
    const fresh = await userItem(u.id);
    expect(fresh.passwordHash.split("$").slice(1, 4).map(Number)).toEqual([PARAMS.N, PARAMS.r, PARAMS.p]);
    // an account created by an older release: N=2^14, r=8, p=1
    const { scryptSync, randomBytes: rb } = await import("node:crypto");
    const salt = rb(16);
    const old = ["scrypt", 16384, 8, 1, salt.toString("base64url"), scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 }).toString("base64url")].join("$");
    await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.user(u.id), UpdateExpression: "SET passwordHash = :h", ExpressionAttributeValues: { ":h": old } }));
    expect((await loginFrom(freshAddress(), u.username, password)).status).toBe(200);
    const upgraded = (await userItem(u.id)).passwordHash as string;
    expect(upgraded).not.toBe(old);
    expect(upgraded.split("$").slice(1, 4).map(Number)).toEqual([PARAMS.N, PARAMS.r, PARAMS.p]);
    expect((await loginFrom(freshAddress(), u.username, password)).status).toBe(200);
    expect(typeof (await hashPassword("x"))).toBe("string");
  });
});
