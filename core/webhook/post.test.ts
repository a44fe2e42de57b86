import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { postJson, type Resolve } from "./post.ts";

let server: Server;
let base = "";
let port = 0;
const hits: string[] = [];
const local = { allowLoopback: true };

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(`${req.headers.host} ${req.url}`);
    if (req.url === "/ok") return void res.writeHead(204).end();
    if (req.url === "/down") return void res.writeHead(503, { "content-type": "text/plain" }).end("x".repeat(5000));
    if (req.url === "/moved") return void res.writeHead(302, { location: "/ok" }).end();
    // /hang: never answers
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe("postJson (one delivery attempt over HTTP)", () => {
  it("counts 2xx as success and reports status and duration", async () => {
    const r = await postJson(`${base}/ok`, "{}", { "content-type": "application/json" }, local);
    expect(r).toMatchObject({ ok: true, statusCode: 204, durationMs: expect.any(Number) });
  });
  it("records a failure status with the first 200 characters of the response", async () => {
    const r = await postJson(`${base}/down`, "{}", {}, local);
    expect(r).toMatchObject({ ok: false, statusCode: 503, error: "HTTP 503" });
    expect(r.response).toHaveLength(200);
  });
  it("does not follow redirects (a 3xx is a failure)", async () => {
    expect(await postJson(`${base}/moved`, "{}", {}, local)).toMatchObject({ ok: false, statusCode: 302 });
  });
  it("aborts a receiver that does not answer within the timeout", async () => {
    const r = await postJson(`${base}/hang`, "{}", {}, { ...local, timeoutMs: 200 });
    expect(r).toMatchObject({ ok: false, error: "timed out after 200 ms" });
    expect(r.durationMs).toBeGreaterThanOrEqual(190);
    expect(r.durationMs).toBeLessThan(2000);
  });
  it("reports a refused connection as an error, not a throw", async () => {
    const r = await postJson("http://127.0.0.1:1/none", "{}", {}, local);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/ECONNREFUSED/);
  });
});

describe("postJson refuses what is not a public receiver (SSRF)", () => {
  const resolvesTo = (...addresses: string[]): Resolve => async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  const cases: Array<[string, string[]]> = [
    ["loopback", ["127.0.0.1"]],
    ["IPv6 loopback", ["::1"]],
    ["a private network", ["10.1.2.3"]],
    ["a private network among public addresses", ["93.184.216.34", "192.168.1.10"]],
    ["link-local", ["169.254.10.1"]],
    ["the cloud metadata address", ["169.254.169.254"]],
    ["IPv4-mapped private IPv6", ["::ffff:10.0.0.1"]],
    ["a unique-local IPv6 network", ["fd00::1"]],
  ];
  for (const [what, addresses] of cases) {
    it(`refuses a hostname that resolves to ${what}, before connecting`, async () => {
      const before = hits.length;
      const r = await postJson(`https://hooks.partner.example/${what}`, "{}", {}, { resolve: resolvesTo(...addresses) });
      expect(r.ok).toBe(false);
      expect(r.statusCode).toBeUndefined();
      expect(r.error).toMatch(/^refused: hooks\.partner\.example resolves to a non-public address/);
      expect(hits.length).toBe(before);
    });
  }

  it("refuses loopback in a deployed stage even for the literal name localhost", async () => {
    const r = await postJson(`http://localhost:${port}/ok`, "{}", {});
    expect(r.error).toMatch(/^refused: localhost resolves to a non-public address/);
  });

  it("connects to the address it checked: a second, different DNS answer is never used (no rebinding)", async () => {
    let lookups = 0;
    // first answer: loopback (allowed on the local stage); any later answer would point at the metadata service
    const rebinding: Resolve = async () => (lookups++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "169.254.169.254", family: 4 }]);
    const r = await postJson(`http://rebind.partner.example:${port}/ok`, "{}", {}, { allowLoopback: true, resolve: rebinding });
    expect(r).toMatchObject({ ok: true, statusCode: 204 });
    expect(lookups).toBe(1);
    expect(hits.at(-1)).toBe(`rebind.partner.example:${port} /ok`);
  });
});
