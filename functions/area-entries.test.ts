import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import { writeAreaEntries } from "./area-entries.ts";
import { AREA_ENTRY_DIR, areas, servedRoutes } from "./areas.ts";
import { routeKey, routes, type Route } from "./routes.ts";

/**
 * The generated area entries (functions/_areas/<area>.ts) are the only copy of an area's routes in
 * its bundle (issue #15, plan A4): the router matches and the wrapper (functions/http.ts) reads
 * permissions and body limits from the slice the entry embeds, never from functions/routes.ts.
 * A slice that drifted from the table would 404 a route (or serve it with another declaration)
 * in production; these tests make it fail here instead.
 */
const root = fileURLToPath(new URL("../", import.meta.url));

type Entry = { routes: Route[]; handler: (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> };
const load = (name: string): Promise<Entry> => import(`${root}${AREA_ENTRY_DIR}/${name}.ts`);

const event = (route: Pick<Route, "method" | "path">, key = routeKey(route)) =>
  ({
    version: "2.0",
    routeKey: key,
    rawPath: route.path,
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId: "entries-test", http: { method: route.method, path: route.path, sourceIp: "127.0.0.1" } },
  }) as unknown as APIGatewayProxyEventV2;

describe("generated area entries", () => {
  writeAreaEntries();

  it("embed exactly their area's slice of functions/routes.ts (areas()), every declaration field included, and the bridge every served route", async () => {
    const byArea = areas();
    expect(byArea.size).toBeGreaterThan(5);
    for (const [area, list] of byArea) {
      const entry = await load(area);
      // deep equality: method, path, handler, permission, maxBody, noBody, area
      expect(entry.routes, area).toEqual(list);
      expect(entry.routes.length, area).toBeGreaterThan(0);
    }
    expect((await load("_bridge")).routes).toEqual(servedRoutes());
    // every served route is in exactly one area entry
    const served = [...byArea.values()].flat().map(routeKey).sort();
    expect(served).toEqual(servedRoutes().map(routeKey).sort());
    expect(new Set(served).size).toBe(served.length);
  });

  it("are written for every area of the table (and the bridge), so no deployed area lacks its entry", () => {
    const files = new Set(readdirSync(`${root}${AREA_ENTRY_DIR}`).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3)));
    for (const area of [...areas().keys(), "_bridge"]) expect(files.has(area), area).toBe(true);
  });

  it("an entry written from another table is seen as stale: its slice differs from areas() of the current table", async () => {
    // the table as it would be after a route moved between areas without regenerating the entries
    const moved = routes.map((r) => (r.path === "/v1/stats/overview" ? { ...r, area: "cases" } : r));
    const dir = `${root}${AREA_ENTRY_DIR}/_stale-test-${process.pid}`;
    try {
      writeAreaEntries({ routes: moved, outDir: dir });
      const stale = (await import(`${dir}/cases.ts`)) as Entry;
      expect(stale.routes.map(routeKey)).toContain("GET /v1/stats/overview");
      expect(stale.routes).not.toEqual(areas().get("cases"));
    } finally {
      (await import("node:fs")).rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an area function answers 404 for a route of another area, and its wrapper knows only the routes an entry registered (403 for an undeclared key)", async () => {
    vi.resetModules(); // a fresh route registry: nothing registered in this module graph yet
    const names = await load("names");
    const other = routes.find((r) => r.path === "/v1/cases" && r.method === "GET")!;
    // not in the names area's slice: the router answers 404 without running any handler
    const res = await names.handler(event(other));
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body!).error.code).toBe("not_found");
    // the stats handler called directly, as a per-route function would be: the registry holds only the names area's slice
    const stats = (await import(`${root}functions/stats/overview.ts`)) as Entry;
    const direct = await stats.handler(event(routes.find((r) => r.path === "/v1/stats/overview")!));
    expect(direct.statusCode).toBe(403);
    expect(JSON.parse(direct.body!).error).toEqual({ code: "forbidden", message: "Route is not declared in the route table", details: null });
  });
});
