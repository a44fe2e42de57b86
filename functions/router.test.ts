import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { areaRouter } from "./router.ts";
import { routeKey, routes, type Route } from "./routes.ts";
import { handlerModule } from "./route-registry.ts";

/**
 * An area function whose generated entry (functions/_areas) is older than its route table, or whose
 * handler module fails to load: the router answers the error model with 503 route_not_deployed and
 * logs it at error level, instead of throwing (a Lambda error: API Gateway's bare 500).
 */
const health = routes.find((r) => r.path === "/v1/health" && r.method === "GET")!;
const other = routes.find((r) => r.path === "/v1/cases" && r.method === "GET")!;

const event = (route: Route) =>
  ({
    version: "2.0",
    routeKey: routeKey(route),
    rawPath: route.path,
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId: "router-test", http: { method: route.method, path: route.path, sourceIp: "127.0.0.1" } },
  }) as unknown as APIGatewayProxyEventV2;

/** The log lines written to stderr (WARN and ERROR) while `fn` runs. */
async function stderrLines<T>(fn: () => Promise<T>): Promise<{ out: T; lines: Array<Record<string, unknown>> }> {
  const lines: Array<Record<string, unknown>> = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: unknown) => {
    for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
    return true;
  });
  try {
    return { out: await fn(), lines };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("an area function with a route it cannot load", () => {
  it.each([
    ["no loader for the route's module (an entry generated from an older route table)", {}],
    ["a loader whose module fails to load", { [handlerModule(health.handler)]: () => Promise.reject(new Error("Cannot find module './chunk-x.mjs'")) }],
    ["a module without the route's export", { [handlerModule(health.handler)]: async () => ({ other: () => undefined }) }],
  ])("answers 503 route_not_deployed in the error model and logs it at error level: %s", async (_name, loaders) => {
    const handler = areaRouter("health-test", [health], loaders);
    const { out: res, lines } = await stderrLines(() => handler(event(health)));
    expect(res.statusCode).toBe(503);
    expect(res.headers?.["content-type"]).toMatch(/^application\/json/);
    expect(res.headers?.["x-request-id"]).toBe("router-test");
    expect(JSON.parse(res.body!)).toEqual({ error: { code: "route_not_deployed", message: expect.any(String), details: { route: "GET /v1/health" } } });
    expect(lines.filter((l) => l.level === "ERROR")).toEqual([expect.objectContaining({ message: "route not deployed", area: "health-test", route: "GET /v1/health", handler: health.handler, requestId: "router-test" })]);
  });

  it("still serves its loadable routes and answers 404 for another area's route", async () => {
    const handler = areaRouter("health-test", [health], { [handlerModule(health.handler)]: async () => ({ handler: async () => ({ statusCode: 204 }) }) });
    expect((await handler(event(health))).statusCode).toBe(204);
    const res = await handler(event(other));
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body!).error.code).toBe("not_found");
  });
});
