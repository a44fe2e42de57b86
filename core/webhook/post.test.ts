import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { postJson } from "./attempt.ts";

let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/ok") return void res.writeHead(204).end();
    if (req.url === "/down") return void res.writeHead(503, { "content-type": "text/plain" }).end("x".repeat(5000));
    if (req.url === "/moved") return void res.writeHead(302, { location: "/ok" }).end();
    // /hang: never answers
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe("postJson (one delivery attempt over HTTP)", () => {
  it("counts 2xx as success and reports status and duration", async () => {
    const r = await postJson(`${base}/ok`, "{}", { "content-type": "application/json" });
    expect(r).toMatchObject({ ok: true, statusCode: 204, durationMs: expect.any(Number) });
  });
  it("records a failure status with the first 200 characters of the response", async () => {
    const r = await postJson(`${base}/down`, "{}", {});
    expect(r).toMatchObject({ ok: false, statusCode: 503, error: "HTTP 503" });
    expect(r.response).toHaveLength(200);
  });
  it("does not follow redirects (a 3xx is a failure)", async () => {
    expect(await postJson(`${base}/moved`, "{}", {})).toMatchObject({ ok: false, statusCode: 302 });
  });
  it("aborts a receiver that does not answer within the timeout", async () => {
    const r = await postJson(`${base}/hang`, "{}", {}, 200);
    expect(r).toMatchObject({ ok: false, error: "timed out after 200 ms" });
    expect(r.durationMs).toBeGreaterThanOrEqual(190);
    expect(r.durationMs).toBeLessThan(2000);
  });
  it("reports a refused connection as an error, not a throw", async () => {
    const r = await postJson("http://127.0.0.1:1/none", "{}", {});
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/fetch failed|ECONNREFUSED/);
  });
});
