import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type LocalStack } from "./stack.ts";
import { seedDemoCounty } from "./demo-county.ts";

/** `npm start` holds the API until the demo county is seeded, so a login right after health turns 200 works. */
describe("a stack held until ready", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startStack({ async: false, holdUntilReady: true, log: () => {} });
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
});
