import { Aspects, CfnResource, RemovalPolicy, type IAspect } from "aws-cdk-lib";
import type { Construct, IConstruct } from "constructs";
import { Api as HttpApi, getStack, use, type Stack, type StackContext } from "sst/constructs";
import { routeKey, routes, type Route } from "../functions/routes.ts";
import { sharedFunctionRole, withAccess, type Access } from "./access.ts";
import { Queues } from "./Queues.ts";
import { planRouteStacks, type RouteStackPlan } from "./routing.ts";
import { corsOrigins } from "./settings.ts";
import { Storage } from "./Storage.ts";

/** Default stage throttling of the HTTP API (requests per second, burst). */
export const THROTTLE = { burst: 200, rate: 100 } as const;

/** Routes served by API Gateway: every entry of functions/routes.ts except local-only `/_local` ones. */
export function deployedRoutes(all: readonly Route[] = routes): Route[] {
  return all.filter((r) => !r.path.includes("/_local"));
}

/** Which stack holds which routes (stacks/routing.ts): `Api` first, then `ApiRoutes1..N`. */
export function apiRoutePlan(): RouteStackPlan[] {
  return planRouteStacks(deployedRoutes());
}

/**
 * The one HTTP API (one URL for partners) and the first share of its routes. The other routes
 * are attached to the same API by the `ApiRoutes<n>` stacks (see apiRouteStacks).
 */
export function Api({ stack }: StackContext) {
  // browsers may call the API only from the console's origin (WANGGE_CONSOLE_ORIGIN; see corsOrigins)
  const origins = corsOrigins(stack.stage);
  const api = new HttpApi(stack, "api", {
    cors: origins.length
      ? {
          allowOrigins: origins,
          allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
          // "*" does not cover Authorization in browsers: list the headers the API reads.
          allowHeaders: ["authorization", "content-type", "x-api-key", "x-request-id", "idempotency-key"],
          exposeHeaders: ["x-request-id", "retry-after"],
          maxAge: "1 day",
        }
      : false,
    // China's Cybersecurity Law asks network logs to be kept at least six months.
    accessLog: { retention: "six_months" },
    defaults: { throttle: { burst: THROTTLE.burst, rate: THROTTLE.rate } },
  });
  // Routes of this stack stay children of `api`, as before the routes were spread over stacks:
  // their logical ids, and so the deployed routes, do not change.
  addRouteFunctions(stack, api, apiRoutePlan()[0].routes, api);
  stack.addOutputs({ ApiUrl: api.url });
  return { api };
}

/**
 * One SST stack function per further stack of the plan (`ApiRoutes1`, …), each attaching its
 * routes to the API of the `Api` stack: the Lambda, integration, invoke permission and route of
 * each are created in that stack (sst's `api.addRoutes(stack, …)`). Each stack deploys after the
 * previous one, so a route moving to a new last stack is deleted from its old stack first.
 */
export function apiRouteStacks(plan: readonly RouteStackPlan[] = apiRoutePlan()): Array<(ctx: StackContext) => void> {
  const fns: Array<(ctx: StackContext) => void> = [];
  for (const part of plan.slice(1)) {
    const previous = fns.at(-1) ?? Api;
    const fn = ({ stack }: StackContext) => {
      const { api } = use(Api);
      stack.addDependency(getStack(previous));
      addRouteFunctions(stack, api, part.routes, stack);
    };
    Object.defineProperty(fn, "name", { value: part.name });
    fns.push(fn);
  }
  return fns;
}

/**
 * One route (and one Lambda) per entry, created under `scope` (in `stack`); the route functions of
 * a stack share one role. Everything created here is deleted when it leaves the template, whatever
 * the stage's removal policy.
 */
function addRouteFunctions(stack: Stack, api: HttpApi, list: readonly Route[], scope: Construct): void {
  if (list.length === 0) return;
  const access: Access = { ...use(Storage), queues: use(Queues) };
  const before = new Set(scope.node.children);
  // Every route function gets the same access, so they share one role (see sharedFunctionRole).
  const role = sharedFunctionRole(stack, "RouteRole");
  withAccess(stack, access, () =>
    api.addRoutes(scope, Object.fromEntries(list.map((r) => [routeKey(r), { function: { handler: r.handler, description: routeKey(r), role } }]))),
  );
  for (const created of [role, ...scope.node.children.filter((c) => !before.has(c))]) Aspects.of(created).add(DELETE_WHEN_REMOVED);
}

/**
 * Routes, integrations, invoke permissions, route functions and their role hold no data and are
 * rebuilt by every deploy. SST's "retain" removal policy of county stages would leave a removed
 * route serving in API Gateway, and a route moving to another stack (stacks/routing.ts) would then
 * collide with its retained old copy. An aspect runs at synthesis, after SST applied the app's policy.
 */
const DELETE_WHEN_REMOVED: IAspect = {
  visit(node: IConstruct) {
    if (node instanceof CfnResource) node.applyRemovalPolicy(RemovalPolicy.DESTROY);
  },
};
