import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { NotFoundError, VisibleError } from "../core/errors.ts";
import { logger } from "../core/log.ts";
import { errorResponse } from "./http.ts";
import { compileRoutes, matchRoute } from "./match.ts";
import { handlerModule, registerRoutes, routeKey } from "./route-registry.ts";
import type { Route } from "./routes.ts";

/** Loads one handler module of the route table (a lazy `import()` or an already imported module). */
export type HandlerLoader = () => Promise<Record<string, unknown>>;
type LambdaHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The handler of one area function: finds the route of the request in the area's share of the
 * route table — by API Gateway's `routeKey`, or, when the request came through a catch-all route
 * (`$default`, used while a stage migrates), by method and path with the same matcher the local
 * API Gateway uses — then runs that route's handler, which is the per-route wrapper
 * (functions/http.ts: permission, validation, errors) exactly as when each route was a function.
 * A route of another area is answered 404: an area function never runs another area's code.
 *
 * `own` is the area's slice of the route table (`areas().get(area)`; "*", the bridge used while a
 * stage moves to area functions: every served route), embedded in the generated entry
 * (functions/area-entries.ts) so the function does not bundle the whole table; the router registers
 * it for the wrapper (functions/route-registry.ts). `loaders` maps each handler's module
 * (`functions/x/y.handler` → `x/y`, handlerModule) to a loader; the entries import modules lazily,
 * so a cold container evaluates only the modules (and zod schemas) of the routes it actually serves.
 */
export function areaRouter(area: string, own: readonly Route[], loaders: Readonly<Record<string, HandlerLoader>>): LambdaHandler {
  registerRoutes(own);
  const byKey = new Map(own.map((r) => [routeKey(r), r]));
  const compiled = compileRoutes(own);
  const handlers = new Map<string, Promise<LambdaHandler>>();

  const load = (route: Route): Promise<LambdaHandler> => {
    let p = handlers.get(route.handler);
    if (!p) {
      const loader = loaders[handlerModule(route.handler)];
      if (!loader) throw new Error(`Area ${area}: no module for ${route.handler} (regenerate functions/_areas)`);
      const name = route.handler.slice(route.handler.lastIndexOf(".") + 1);
      p = loader().then((m) => {
        if (typeof m[name] !== "function") throw new Error(`${route.handler}: no exported function '${name}'`);
        return m[name] as LambdaHandler;
      });
      p.catch(() => handlers.delete(route.handler));
      handlers.set(route.handler, p);
    }
    return p;
  };

  return async (event, context) => {
    let route = byKey.get(event.routeKey);
    if (!route) {
      const method = (event.requestContext?.http?.method ?? "").toUpperCase();
      const path = event.rawPath ?? event.requestContext?.http?.path ?? "";
      const found = matchRoute(compiled, method, path);
      if (!found) {
        const requestId = event.requestContext?.requestId ?? "local";
        return errorResponse(new NotFoundError(`No route for ${method} ${path}`), requestId);
      }
      route = found.route;
      event = { ...event, routeKey: routeKey(route), pathParameters: Object.keys(found.params).length ? found.params : undefined };
    }
    let fn: LambdaHandler;
    try {
      fn = await load(route);
    } catch (e) {
      return notDeployed(area, route, event.requestContext?.requestId ?? "local", e);
    }
    return fn(event, context);
  };
}

/**
 * A route of the area's table whose handler this function cannot load (no loader for its module in
 * a generated entry older than the route table, a module that failed to load, or no such export):
 * a deploy fault, not the caller's. Answered 503 `route_not_deployed` in the error model (a retry
 * helps only after a deploy) and logged at error level for the operators (docs/deploy.md).
 */
function notDeployed(area: string, route: Route, requestId: string, e: unknown) {
  logger.error("route not deployed", { requestId, area, route: routeKey(route), handler: route.handler, error: e as Error });
  return errorResponse(new VisibleError(503, "route_not_deployed", "This route is not deployed in this version of the API; retry after the next deploy", { route: routeKey(route) }), requestId);
}
