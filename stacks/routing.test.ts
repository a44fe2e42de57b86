import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { routeKey, routes, type Route } from "../functions/routes.ts";
import {
  API_STACK,
  API_STACK_OVERHEAD,
  RESOURCES_PER_ROUTE,
  ROUTE_STACK_OVERHEAD,
  STACK_BUDGET,
  planRouteStacks,
  routeArea,
  type RouteStackPlan,
} from "./routing.ts";

const route = (path: string, method: Route["method"] = "GET"): Route => ({ method, path, handler: "functions/x/y.handler", permission: "public" });

/** `count` routes in `area`, named so they never collide with another area's. */
const areaRoutes = (area: string, count: number, from = 0): Route[] =>
  Array.from({ length: count }, (_, i) => route(`/v1/${area}/r${from + i}`));

const stackOf = (plan: RouteStackPlan[]) => {
  const out = new Map<string, string>();
  for (const s of plan) for (const r of s.routes) out.set(routeKey(r), s.name);
  return out;
};

const areaStacks = (plan: RouteStackPlan[]) => {
  const out = new Map<string, Set<string>>();
  for (const s of plan) for (const r of s.routes) out.set(routeArea(r.path), (out.get(routeArea(r.path)) ?? new Set()).add(s.name));
  return out;
};

// a route table: areas with a number of routes each (some large enough to need several stacks)
const tableArb = fc
  .uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z-]{0,11}$/), fc.integer({ min: 1, max: 60 })), { selector: ([a]) => a, maxLength: 25 })
  .map((areas) => areas.flatMap(([a, n]) => areaRoutes(a, n)));

describe("routeArea", () => {
  it("is the first path segment after /v1, or the first segment of unversioned paths", () => {
    expect(routeArea("/v1/units")).toBe("units");
    expect(routeArea("/v1/units/{id}/move")).toBe("units");
    expect(routeArea("/v1/openapi.json")).toBe("openapi.json");
    expect(routeArea("/open311/v2/requests.json")).toBe("open311");
    expect(routeArea("/docs")).toBe("docs");
  });
});

describe("planRouteStacks", () => {
  it("puts everything in the Api stack while it fits", () => {
    const plan = planRouteStacks([...areaRoutes("units", 20), ...areaRoutes("cases", 20)]);
    expect(plan.map((s) => s.name)).toEqual([API_STACK]);
    expect(plan[0].resources).toBe(API_STACK_OVERHEAD + ROUTE_STACK_OVERHEAD + 40 * RESOURCES_PER_ROUTE);
  });

  it("places every route exactly once, keeps an area in one stack and every stack within the budget", () => {
    fc.assert(
      fc.property(tableArb, (table) => {
        const plan = planRouteStacks(table);
        const placed = plan.flatMap((s) => s.routes.map(routeKey));
        expect(placed.sort()).toEqual(table.map(routeKey).sort());
        for (const s of plan) expect(s.resources).toBeLessThanOrEqual(STACK_BUDGET);
        for (const [area, stacks] of areaStacks(plan)) expect(stacks.size, area).toBe(1);
        expect(plan[0].name).toBe(API_STACK);
        expect(plan.slice(1).map((s) => s.name)).toEqual(plan.slice(1).map((_, i) => `ApiRoutes${i + 1}`));
      }),
      { numRuns: 60 },
    );
  });

  it("does not depend on the order of the route table", () => {
    const shuffledArb = tableArb.chain((t) => fc.tuple(fc.constant(t), fc.shuffledSubarray(t, { minLength: t.length, maxLength: t.length })));
    fc.assert(
      fc.property(shuffledArb, ([table, shuffled]) => {
        expect(stackOf(planRouteStacks(shuffled))).toEqual(stackOf(planRouteStacks(table)));
      }),
      { numRuns: 30 },
    );
  });

  it("moves no existing route when routes are added, except to a new last stack (which deploys after the others)", () => {
    fc.assert(
      fc.property(tableArb, tableArb, (before, added) => {
        const keys = new Set(before.map(routeKey));
        const after = [...before, ...added.filter((r) => !keys.has(routeKey(r)))];
        const a = planRouteStacks(before);
        const b = planRouteStacks(after);
        expect(b.length).toBeGreaterThanOrEqual(a.length);
        const now = stackOf(b);
        for (const [key, stack] of stackOf(a)) {
          const moved = now.get(key)!;
          if (moved !== stack) expect(b.findIndex((s) => s.name === moved), `${key}: ${stack} → ${moved}`).toBeGreaterThanOrEqual(a.length);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("splits an area with more routes than one stack holds by its next path segments", () => {
    const table = [...areaRoutes("registry/households", 60), ...areaRoutes("registry/people", 60), ...areaRoutes("units", 5)];
    const plan = planRouteStacks(table);
    expect(plan.flatMap((s) => s.groups).sort()).toEqual(["registry/households", "registry/people", "units"]);
    for (const s of plan) expect(s.resources).toBeLessThanOrEqual(STACK_BUDGET);

    const flat = planRouteStacks(areaRoutes("huge", 150));
    expect(flat.reduce((n, s) => n + s.routes.length, 0)).toBe(150);
    for (const s of flat) expect(s.resources).toBeLessThanOrEqual(STACK_BUDGET);
    // only routes sharing one path cannot be split: a budget of 2 routes cannot hold 3 methods
    const samePath = [route("/v1/x/{id}", "GET"), route("/v1/x/{id}", "PUT"), route("/v1/x/{id}", "DELETE")];
    expect(() => planRouteStacks(samePath, { budget: API_STACK_OVERHEAD + ROUTE_STACK_OVERHEAD + 2 * RESOURCES_PER_ROUTE })).toThrow(/more than one stack holds/);
  });

  it("fits today's route table, and three times as many routes, within the budget", () => {
    const triple = [...routes, ...routes.map((r) => ({ ...r, path: `${r.path}/copy1` })), ...routes.map((r) => ({ ...r, path: `${r.path}/copy2` }))];
    for (const table of [routes, triple]) {
      const plan = planRouteStacks(table);
      expect(plan.reduce((n, s) => n + s.routes.length, 0)).toBe(table.length);
      for (const s of plan) expect(s.resources, s.name).toBeLessThanOrEqual(STACK_BUDGET);
    }
  });
});
