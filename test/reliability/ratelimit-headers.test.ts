import { describe, it, expect } from "vitest";
import { randomUUID } from "node:crypto";
import { call } from "../client.ts";
import { adminToken } from "../fixtures.ts";
import { rateLimitHeaders } from "../../core/ratelimit/window.ts";

/**
 * RateLimit headers (issue 17, draft-ietf-httpapi-ratelimit-headers): a response that counted
 * against a rolling-window quota says the policy (`RateLimit-Policy: "apikey";q=3;w=60`) and what
 * is left (`RateLimit: "apikey";r=2;t=60`); the 429 carries `Retry-After` and `r=0`. A request
 * that counted against no quota carries neither.
 */
describe("RateLimit headers", () => {
  it("counts an API key's rolling minute down in RateLimit, and answers the request over it 429 with Retry-After", async () => {
    const created = await call("POST", "/v1/api-keys", { token: await adminToken(), body: { name: `rl-${randomUUID().slice(0, 8)}`, permissions: ["categories:read"], rateLimitPerMinute: 3 } });
    expect(created.status).toBe(201);
    const get = () => call("GET", "/v1/categories", { headers: { "x-api-key": created.body.key } });
    const seen: Array<{ status: number; policy: string | null; limit: string | null; retryAfter: string | null }> = [];
    for (let i = 0; i < 4; i++) {
      const r = await get();
      seen.push({ status: r.status, policy: r.headers.get("ratelimit-policy"), limit: r.headers.get("ratelimit"), retryAfter: r.headers.get("retry-after") });
    }
    expect(seen.map((s) => s.status)).toEqual([200, 200, 200, 429]);
    expect(seen.map((s) => s.policy)).toEqual(Array(4).fill('"apikey";q=3;w=60'));
    expect(seen.map((s) => s.limit?.replace(/;t=\d+$/, ""))).toEqual(['"apikey";r=2', '"apikey";r=1', '"apikey";r=0', '"apikey";r=0']);
    for (const s of seen) expect(Number(/;t=(\d+)$/.exec(s.limit ?? "")?.[1])).toBeGreaterThanOrEqual(1);
    expect(seen[3].retryAfter).toMatch(/^[1-9]\d*$/);
    expect(Number(seen[3].retryAfter)).toBeLessThanOrEqual(60);
    expect(seen.slice(0, 3).map((s) => s.retryAfter)).toEqual([null, null, null]);
  });

  it("sends no RateLimit header when the request counted against no quota (staff token)", async () => {
    const r = await call("GET", "/v1/categories", { token: await adminToken() });
    expect(r.status).toBe(200);
    expect(r.headers.get("ratelimit")).toBeNull();
    expect(r.headers.get("ratelimit-policy")).toBeNull();
  });

  it("reports the quota closest to exhaustion, and every policy once", () => {
    expect(rateLimitHeaders([])).toEqual({});
    expect(
      rateLimitHeaders([
        { policy: "res-code-ip", limit: 30, windowSeconds: 3600, remaining: 29, resetSeconds: 3600 },
        { policy: "res-code-m", limit: 1, windowSeconds: 60, remaining: 0, resetSeconds: 60 },
        { policy: "res-code-h", limit: 5, windowSeconds: 3600, remaining: 4, resetSeconds: 3600 },
      ]),
    ).toEqual({ "ratelimit-policy": '"res-code-ip";q=30;w=3600, "res-code-m";q=1;w=60, "res-code-h";q=5;w=3600', ratelimit: '"res-code-m";r=0;t=60' });
  });
});
