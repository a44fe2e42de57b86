import { createHash } from "node:crypto";
import type { Route } from "../functions/routes.ts";

/**
 * Spreads the routes of the one HTTP API over several CloudFormation stacks (CloudFormation
 * refuses more than 500 resources per stack). Pure and deterministic: computed from the route
 * table at synth time, so adding routes needs no other change.
 *
 * Routes are grouped by area (the first path segment after `/v1`, e.g. `units`, `open311`), an
 * area never straddles two stacks, and areas are placed by rendezvous hashing: with N stacks an
 * area goes to the stack whose hash of (area, stack) is highest. N is the smallest number of
 * stacks in which every stack fits its budget. Consequences for deploys:
 * - routes added to an area, or a new area, never move an existing area while N stays the same;
 * - when N grows, areas only move to the new, last stack, which deploys after all the others
 *   (stacks/Api.ts, apiRouteStacks), so a route is deleted from its old stack before it is created in the new one.
 */

/** CloudFormation resources per route: Lambda function, integration, invoke permission, route. */
export const RESOURCES_PER_ROUTE = 4;

/**
 * Resources of a stack holding routes besides them: the shared role and its policy, SST's custom
 * resource handler (function and role) and, on deploy, its sourcemap uploader (policy and resource).
 */
export const ROUTE_STACK_OVERHEAD = 6;

/** Resources of the `Api` stack itself: API, stage, access log group, SST's URL parameter. */
export const API_STACK_OVERHEAD = 4;

/**
 * Planned resources per stack. Well under CloudFormation's 500 so the stacks keep room for
 * resources added later per stack (alarms, log groups); stacks.test.ts checks the real count.
 */
export const STACK_BUDGET = 350;

/** Name of the stack that owns the HTTP API (and the first share of routes). */
export const API_STACK = "Api";

export interface RouteStackPlan {
  /** `Api`, `ApiRoutes1`, `ApiRoutes2`, … */
  name: string;
  /** route groups placed in this stack (areas, or `area/segment` for an area split in parts) */
  groups: string[];
  routes: Route[];
  /** resources this plan expects in the stack */
  resources: number;
}

export interface PlanOptions {
  budget?: number;
  perRoute?: number;
}

/** Area of a route: `/v1/units/{id}` → `units`, `/open311/v2/requests.json` → `open311`, `/docs` → `docs`. */
export function routeArea(path: string): string {
  const segments = path.split("/").filter((s) => s.length > 0);
  return (segments[0] === "v1" ? segments[1] : segments[0]) ?? "";
}

/** Name of the i-th stack holding routes (0 is the API's own stack). */
export function routeStackName(index: number): string {
  return index === 0 ? API_STACK : `ApiRoutes${index}`;
}

/** The stacks of the HTTP API's routes, in deploy order; every route is in exactly one. */
export function planRouteStacks(routes: readonly Route[], { budget = STACK_BUDGET, perRoute = RESOURCES_PER_ROUTE }: PlanOptions = {}): RouteStackPlan[] {
  const groupBudget = budget - API_STACK_OVERHEAD - ROUTE_STACK_OVERHEAD;
  const groups = groupRoutes(routes, Math.floor(groupBudget / perRoute));
  const names = [...groups.keys()];
  const total = routes.length * perRoute;
  const capacity = (i: number) => budget - ROUTE_STACK_OVERHEAD - (i === 0 ? API_STACK_OVERHEAD : 0);

  for (let n = Math.max(1, Math.ceil(total / (budget - ROUTE_STACK_OVERHEAD))); ; n++) {
    const placed: string[][] = Array.from({ length: n }, () => []);
    for (const g of names) placed[pick(g, n)].push(g);
    const plans = placed.map((gs, i): RouteStackPlan => {
      const rs = gs.flatMap((g) => groups.get(g)!);
      const overhead = (i === 0 ? API_STACK_OVERHEAD : 0) + (rs.length > 0 ? ROUTE_STACK_OVERHEAD : 0);
      return { name: routeStackName(i), groups: gs.sort(), routes: rs, resources: overhead + rs.length * perRoute };
    });
    if (plans.every((p, i) => p.routes.length * perRoute <= capacity(i))) return plans;
  }
}

/**
 * Routes by group, in route-table order. A group is an area; an area with more routes than one
 * stack holds (`maxRoutes`) is split by its next path segment, recursively.
 */
export function groupRoutes(routes: readonly Route[], maxRoutes: number): Map<string, Route[]> {
  if (maxRoutes < 1) throw new Error(`A stack budget must hold at least one route (max ${maxRoutes})`);
  const out = new Map<string, Route[]>();
  const split = (rs: readonly Route[], depth: number, prefix: string) => {
    const by = new Map<string, Route[]>();
    for (const r of rs) {
      const key = groupKey(r.path, depth);
      by.set(key, [...(by.get(key) ?? []), r]);
    }
    for (const [key, members] of by) {
      const name = prefix ? `${prefix}/${key}` : key;
      const deeper = members.length > maxRoutes && members.some((m) => groupKey(m.path, depth + 1) !== "");
      if (deeper) split(members, depth + 1, name);
      else if (members.length > maxRoutes) throw new Error(`Route group "${name}" has ${members.length} routes, more than one stack holds (${maxRoutes})`);
      else out.set(name, members);
    }
  };
  split(routes, 0, "");
  return out;
}

/** Path segment `depth` after the area (0 is the area itself); "" past the end. */
function groupKey(path: string, depth: number): string {
  const segments = path.split("/").filter((s) => s.length > 0);
  const start = segments.indexOf(routeArea(path));
  return segments[start + depth] ?? "";
}

/** Rendezvous (highest random weight) hashing: stable when n grows, moves go only to the new stack. */
function pick(group: string, n: number): number {
  let best = 0;
  let bestWeight = "";
  for (let i = 0; i < n; i++) {
    const weight = createHash("sha256").update(`${group}\u0000${i}`).digest("hex");
    if (weight > bestWeight) {
      best = i;
      bestWeight = weight;
    }
  }
  return best;
}
