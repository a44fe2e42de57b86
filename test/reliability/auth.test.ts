import { describe, it, expect, vi, beforeAll, afterEach } from "vitest";
import { SignJWT } from "jose";
import { randomBytes } from "node:crypto";
import { advanceClock, call, login } from "../client.ts";
import { tokenFor, DEMO_PASSWORD } from "../fixtures.ts";
import { ownStack } from "../own-stack.ts";

// handlers log at every level while this file runs, so a leak at any level is caught
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = "DEBUG";
});

/**
 * Authentication beyond the role × route matrix (functions/authorization.test.ts): revoked keys,
 * expired tokens, foreign keys, brute force, and secrets kept out of the logs. Runs on its own
 * stack: the handlers run in this process (so their log output can be captured) and the clock
 * can move without disturbing other files.
 */
ownStack();

/** Everything written to stdout/stderr (Powertools' logger writes there) and through console.* meanwhile. */
function captureOutput() {
  const chunks: string[] = [];
  const grab = (chunk: unknown) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString("utf8") : String(chunk));
  };
  const spies = [
    vi.spyOn(process.stdout, "write").mockImplementation(((chunk: unknown) => (grab(chunk), true)) as never),
    vi.spyOn(process.stderr, "write").mockImplementation(((chunk: unknown) => (grab(chunk), true)) as never),
    ...(["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m).mockImplementation((...args: unknown[]) => grab(args.map(String).join(" ")))),
  ];
  return {
    text: () => chunks.join(""),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}

let rootUnitId: string;

beforeAll(async () => {
  const me = await call("GET", "/v1/me", { token: await tokenFor("admin") });
  rootUnitId = me.body.assignments[0].unitId;
});

afterEach(() => vi.restoreAllMocks());

async function newUser(password: string): Promise<string> {
  const username = `rel${randomBytes(4).toString("hex")}`;
  const r = await call("POST", "/v1/users", {
    token: await tokenFor("admin"),
    body: { username, displayName: "可靠性测试", password, assignments: [{ role: "auditor", unitId: rootUnitId }] },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return username;
}

describe("API keys", () => {
  it("refuses a revoked key with 401 (reason revoked) right after revocation", async () => {
    const admin = await tokenFor("admin");
    const created = await call("POST", "/v1/api-keys", { token: admin, body: { name: "reliability revoke test", permissions: ["cases:read"] } });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect((await call("GET", "/v1/cases?limit=1", { headers: { "x-api-key": key } })).status).toBe(200);
    expect((await call("POST", `/v1/api-keys/${created.body.id}/revoke`, { token: admin })).status).toBe(200);
    const after = await call("GET", "/v1/cases?limit=1", { headers: { "x-api-key": key } });
    expect(after.status).toBe(401);
    expect(after.body.error).toMatchObject({ code: "unauthorized", details: { reason: "revoked" } });
  });

  it("refuses an unknown key and a key that only looks like one with 401", async () => {
    for (const key of ["wg_01arz3ndektsv4rrffq69g5fav_" + "x".repeat(32), "not-a-key", "wg_" + "a".repeat(300)]) {
      const r = await call("GET", "/v1/cases?limit=1", { headers: { "x-api-key": key } });
      expect(r.status, key).toBe(401);
    }
  });
});

describe("access tokens", () => {
  it("refuses a token signed with another key (same claims, HS256) with 401", async () => {
    const real = await tokenFor("admin");
    const claims = JSON.parse(Buffer.from(real.split(".")[1], "base64url").toString("utf8"));
    const forged = await new SignJWT({ kind: claims.kind, name: claims.name, asg: claims.asg })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(claims.sub)
      .setIssuer(claims.iss)
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .sign(randomBytes(32));
    const r = await call("GET", "/v1/me", { token: forged });
    expect(r.status).toBe(401);
    expect(r.body.error.details).toEqual({ reason: "invalid" });
    expect((await call("GET", "/v1/users", { token: forged })).status).toBe(401);
  });

  it("refuses a token 20 minutes after it was issued (15-minute lifetime) with 401 reason expired", async () => {
    const token = await login("auditor", DEMO_PASSWORD); // not cached: the test client must not renew it
    expect((await call("GET", "/v1/me", { token })).status).toBe(200);
    await advanceClock(20);
    const r = await call("GET", "/v1/me", { token });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: "unauthorized", details: { reason: "expired" } });
  });
});

describe("brute force", () => {
  it("locks an account after 5 wrong passwords and answers it like a wrong password, even for the right one (no enumeration)", async () => {
    const password = `Right-${randomBytes(6).toString("hex")}`;
    const username = await newUser(password);
    for (let i = 0; i < 5; i++) {
      const r = await call("POST", "/v1/auth/login", { body: { username, password: `wrong-${i}-password` } });
      expect(r.status, `attempt ${i + 1}`).toBe(401);
    }
    for (const attempt of ["wrong-again-password", password]) {
      const r = await call("POST", "/v1/auth/login", { body: { username, password: attempt } });
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ code: "unauthorized", message: "Wrong username or password" });
      expect(r.headers.get("retry-after")).toBeNull();
    }
  });

  it("answers unknown users and wrong passwords alike (no user enumeration)", async () => {
    const unknown = await call("POST", "/v1/auth/login", { body: { username: "nobody-here-at-all", password: "whatever-password" } });
    const wrong = await call("POST", "/v1/auth/login", { body: { username: "supervisor", password: "whatever-password" } });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });
});

describe("secrets in logs", () => {
  it("never writes passwords, API keys, access or refresh tokens to stdout/stderr while logging in, failing, refreshing and creating keys", async () => {
    const admin = await tokenFor("admin");
    const password = `Log-${randomBytes(8).toString("hex")}`;
    const username = await newUser(password);
    const wrong = [`Wrong-${randomBytes(8).toString("hex")}`, `Wrong-${randomBytes(8).toString("hex")}`];
    const out = captureOutput();
    const secrets: string[] = [...wrong, password];
    try {
      const { logger } = await import("../../core/log.ts");
      logger.warn("capture check"); // proves the capture sees the handlers' logger
      for (const w of wrong) expect((await call("POST", "/v1/auth/login", { body: { username, password: w } })).status).toBe(401);
      const session = await call("POST", "/v1/auth/login", { body: { username, password } });
      expect(session.status).toBe(200);
      secrets.push(session.body.accessToken, session.body.refreshToken);
      const refreshed = await call("POST", "/v1/auth/refresh", { body: { refreshToken: session.body.refreshToken } });
      expect(refreshed.status).toBe(200);
      secrets.push(refreshed.body.accessToken, refreshed.body.refreshToken);
      // reusing a rotated refresh token fails (and must not log it either)
      expect((await call("POST", "/v1/auth/refresh", { body: { refreshToken: session.body.refreshToken } })).status).toBe(401);
      const key = await call("POST", "/v1/api-keys", { token: admin, body: { name: "log leak test", permissions: ["cases:read"] } });
      expect(key.status).toBe(201);
      secrets.push(key.body.key);
      expect((await call("GET", "/v1/cases?limit=1", { headers: { "x-api-key": key.body.key } })).status).toBe(200);
      expect((await call("GET", "/v1/me", { token: `${session.body.accessToken}x` })).status).toBe(401); // a bad token is logged as nothing
      await call("POST", `/v1/api-keys/${key.body.id}/revoke`, { token: admin });
      expect((await call("GET", "/v1/cases?limit=1", { headers: { "x-api-key": key.body.key } })).status).toBe(401);
    } finally {
      out.restore();
    }
    const text = out.text();
    expect(text).toContain("capture check");
    for (const s of secrets) {
      expect(s.length).toBeGreaterThan(8);
      expect(text.includes(s), `a secret (${s.slice(0, 4)}…) appears in the logs`).toBe(false);
      // nor its signature or body alone (a token split across fields)
      for (const part of s.split(".").filter((p) => p.length >= 16)) expect(text.includes(part), `part of a secret (${part.slice(0, 4)}…) appears in the logs`).toBe(false);
    }
    expect(text).not.toMatch(/passwordHash|scrypt\$/);
  });
});
