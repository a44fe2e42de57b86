import { describe, it, expect } from "vitest";
import { call } from "../../test/client.ts";

describe("GET /v1/health", () => {
  it("answers 200 with the app and table schema versions", async () => {
    const r = await call("GET", "/v1/health");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "ok", app: expect.any(String), schema: expect.any(Number) });
  });

  it("answers unknown API paths with a 404 in the error model", async () => {
    const r = await call("GET", "/v1/nope");
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: "not_found", message: expect.any(String) });
  });
});
