import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type LocalStack } from "./stack.ts";
import { seedDemoCounty } from "./demo-county.ts";

/** `npm start` holds the API until the demo county is seeded, so a login right after health turns 200 works. */
describe("a stack held until ready", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startStack({ async: false, holdUntilReady: true, serveConsole: true, log: () => {} });
  }, 120_000);
  afterAll(() => stack?.stop());

  it("answers 503 with Retry-After on the API until it is ready, then health and a demo login succeed", async () => {
    const before = await fetch(`${stack.url}/v1/health`);
    expect(before.status).toBe(503);
    expect(before.headers.get("retry-after")).toBe("1");
    expect((await before.json()).error.code).toBe("starting");
    const login = () =>
      fetch(`${stack.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: "ready-test-pass-1" }) });
    expect((await login()).status).toBe(503);

    await seedDemoCounty({ password: "ready-test-pass-1", now: stack.clock.now() });
    stack.ready();

    expect((await fetch(`${stack.url}/v1/health`)).status).toBe(200);
    expect((await login()).status).toBe(200);
  });

  it("serves the console with the security headers of the deployed console (strict CSP, no framing)", async () => {
    const res = await fetch(`${stack.url}/`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`connect-src 'self' ${stack.env.AWS_ENDPOINT_URL_S3}`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("strict-transport-security")).toMatch(/^max-age=63072000/);
  });
});
