import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { resetDb } from "../../core/db/client.ts";
import { signAccessToken } from "../../core/auth/token.ts";
import { resetJwtKey } from "../../core/auth/secret.ts";
import { injectedFaults } from "../../core/faults/inject.ts";
import { registerRoutes } from "../../functions/route-registry.ts";
import { routes } from "../../functions/routes.ts";

// the handlers are called directly, as the embedded stack serves them: the whole route table registered (functions/route-registry.ts)
registerRoutes(routes);

/**
 * When storage gives up (every SDK attempt throttled or failing, or DynamoDB unreachable), the API
 * answers 503 with Retry-After — never a 500. The real handler and wrapper run in this process
 * against a DynamoDB endpoint where nothing listens; no stack is needed.
 */
const saved = { ...process.env };

beforeAll(() => {
  Object.assign(process.env, {
    WANGGE_TABLE: "wangge-unavailable-test",
    WANGGE_JWT_SECRET: "unavailable-test-secret-0123456789abcdef",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "x",
    AWS_SECRET_ACCESS_KEY: "x",
    AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9",
  });
  resetJwtKey();
});

afterAll(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  resetDb();
  resetJwtKey();
});

async function getUnit(): Promise<APIGatewayProxyStructuredResultV2> {
  const { handler } = await import("../../functions/units/get.ts");
  const { token } = await signAccessToken({ kind: "user", id: "u1", username: "admin", assignments: [{ role: "county_admin", unitId: "root", unitPath: "/root/" }] }, new Date());
  const event = {
    version: "2.0",
    routeKey: "GET /v1/units/{id}",
    rawPath: "/v1/units/root",
    headers: { authorization: `Bearer ${token}` },
    pathParameters: { id: "root" },
    requestContext: { requestId: "r-1", http: { method: "GET", path: "/v1/units/root", sourceIp: "127.0.0.1" } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  return (await handler(event)) as APIGatewayProxyStructuredResultV2;
}

describe("storage giving up", () => {
  it("answers 503 + Retry-After when every attempt is throttled (WANGGE_FAULTS=dynamodb:1)", async () => {
    process.env.WANGGE_FAULTS = "dynamodb:1";
    resetDb(); // the flag is read when the client is created
    try {
      const before = [...injectedFaults.values()].reduce((a, b) => a + b, 0);
      const res = await getUnit();
      expect(res.statusCode).toBe(503);
      expect(res.headers?.["retry-after"]).toMatch(/^\d+$/);
      expect(JSON.parse(res.body!)).toEqual({ error: { code: "unavailable", message: expect.any(String), details: { retryAfterSeconds: expect.any(Number) } } });
      expect([...injectedFaults.values()].reduce((a, b) => a + b, 0) - before).toBe(4); // the SDK tried 4 times
    } finally {
      delete process.env.WANGGE_FAULTS;
      resetDb();
    }
  }, 60_000);

  it("answers 503 + Retry-After when DynamoDB cannot be reached at all", async () => {
    const res = await getUnit();
    expect(res.statusCode).toBe(503);
    expect(res.headers?.["retry-after"]).toMatch(/^\d+$/);
    expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|\n\s+at /);
  }, 60_000);
});
