import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { apiClient, ok } from "./api/client.ts";
import { sessionFetch } from "./http.ts";
import { setSession } from "./session.ts";

/** What the fake API saw. */
interface Seen {
  path: string;
  authorization: string | null;
  language: string | null;
  body: string;
  mode: string | null;
  credentials: RequestCredentials;
}

let seen: Seen[];

beforeEach(() => {
  seen = [];
  const store = new Map<string, string>();
  vi.stubGlobal("localStorage", {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  });
  // the access token is in memory only; the refresh token is the HttpOnly cookie, which script never sees
  setSession({ accessToken: "old-token", expiresAt: new Date(Date.now() + 10 * 60_000).toISOString() });
  // the API: the old token has expired (the clock moved); refresh rotates it; the new one is accepted
  vi.stubGlobal("fetch", async (input: Request | string, init?: RequestInit) => {
    // the console's API_URL is "" (same origin): session.ts refreshes at a relative URL
    const request = input instanceof Request ? input : new Request(new URL(input, "http://api.test"), init);
    const path = new URL(request.url).pathname;
    seen.push({
      path,
      authorization: request.headers.get("authorization"),
      language: request.headers.get("accept-language"),
      body: await request.text(),
      mode: request.headers.get("x-wangge-session"),
      credentials: init?.credentials ?? request.credentials,
    });
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    if (path === "/v1/auth/refresh") return json(200, { accessToken: "new-token", expiresAt: new Date(Date.now() + 15 * 60_000).toISOString() });
    if (request.headers.get("authorization") === "Bearer old-token") return json(401, { error: { code: "unauthorized", message: "Token expired", details: { reason: "expired" } } });
    return json(201, { id: "u9", name: "第9网格" });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("sessionFetch (under api() and the typed client)", () => {
  it("renews an expired token once and sends the same request again, body included", async () => {
    const res = await sessionFetch(new Request("http://api.test/v1/units", { method: "POST", body: JSON.stringify({ name: "第9网格" }) }));
    expect(res.status).toBe(201);
    expect(seen.map((s) => [s.path, s.authorization])).toEqual([
      ["/v1/units", "Bearer old-token"],
      ["/v1/auth/refresh", null],
      ["/v1/units", "Bearer new-token"],
    ]);
    expect(seen[2].body).toBe(seen[0].body);
    expect(seen[0].language).toBe("zh");
    // the renewal sends no token of its own: the cookie (credentials) and the CSRF header only
    expect(seen[1]).toMatchObject({ body: "", mode: "cookie", credentials: "include" });
  });

  it("is what the typed client sends through: a read answers after the renewal", async () => {
    const client = apiClient({ baseUrl: "http://api.test" });
    const unit = ok(await client.GET("/v1/units/{id}", { params: { path: { id: "u9" } } }));
    expect(unit).toEqual({ id: "u9", name: "第9网格" });
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer old-token", null, "Bearer new-token"]);
  });

  it("sends no token when anonymous", async () => {
    await sessionFetch(new Request("http://api.test/v1/health"), { anonymous: true });
    expect(seen).toEqual([expect.objectContaining({ path: "/v1/health", authorization: null })]);
  });
});
