import { Api as HttpApi, use, type StackContext } from "sst/constructs";
import { routeKey, routes, type Route } from "../functions/routes.ts";
import { sharedFunctionRole, withAccess } from "./access.ts";
import { Queues } from "./Queues.ts";
import { consoleOrigins } from "./settings.ts";
import { Storage } from "./Storage.ts";

/** Default stage throttling of the HTTP API (requests per second, burst). */
export const THROTTLE = { burst: 200, rate: 100 } as const;

/** Routes served by API Gateway: every entry of functions/routes.ts except local-only `/_local` ones. */
export function deployedRoutes(all: readonly Route[] = routes): Route[] {
  return all.filter((r) => !r.path.includes("/_local"));
}

/** The HTTP API: one route (and one Lambda) per entry of functions/routes.ts. */
export function Api({ stack }: StackContext) {
  const storage = use(Storage);
  const queues = use(Queues);
  // Every route function gets the same access, so they share one role (see sharedFunctionRole).
  const role = sharedFunctionRole(stack, "RouteRole");

  const api = withAccess(
    stack,
    { ...storage, queues },
    () =>
      new HttpApi(stack, "api", {
        routes: Object.fromEntries(
          deployedRoutes().map((r) => [routeKey(r), { function: { handler: r.handler, description: routeKey(r) } }]),
        ),
        cors: {
          allowOrigins: consoleOrigins(),
          allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
          // "*" does not cover Authorization in browsers: list the headers the API reads.
          allowHeaders: ["authorization", "content-type", "x-api-key", "x-request-id"],
          exposeHeaders: ["x-request-id", "retry-after"],
          maxAge: "1 day",
        },
        // China's Cybersecurity Law asks network logs to be kept at least six months.
        accessLog: { retention: "six_months" },
        defaults: { function: { role }, throttle: { burst: THROTTLE.burst, rate: THROTTLE.rate } },
      }),
  );

  stack.addOutputs({ ApiUrl: api.url });
  return { api };
}
