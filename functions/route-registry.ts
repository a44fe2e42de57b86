import type { Route } from "./routes.ts";

/**
 * The routes this process serves, by API Gateway route key: what the shared wrapper
 * (functions/http.ts) reads a request's permission, body limit and strictness from.
 *
 * An area function's generated entry (functions/_areas/<area>.ts, written by
 * functions/area-entries.ts) carries only its area's slice of functions/routes.ts and the router
 * (functions/router.ts) registers that slice here, so a deployed function never bundles the whole
 * route table (about 11–13 KB minified in every area's initial chunks, issue #15). The embedded
 * stack (local/api-server.ts) registers the whole table, the same entries: the same handlers run
 * locally and in Lambda. A handler called with a route key nobody registered answers 403, as an
 * undeclared route always did.
 */
const table = new Map<string, Route>();

/** `GET /v1/units/{id}`: API Gateway's route key of a route (functions/routes.ts re-exports it). */
export const routeKey = (route: Pick<Route, "method" | "path">): string => `${route.method} ${route.path}`;

/** Serve these routes in this process (an area's slice, or the whole table locally). */
export function registerRoutes(list: readonly Route[]): void {
  for (const r of list) table.set(routeKey(r), r);
}

/** The registered route of an API Gateway route key. */
export function registeredRoute(key: string): Route | undefined {
  return table.get(key);
}

/**
 * One route of a generated entry, written as functions/routes.ts's `r()` declares it
 * (`"cases/list"` → `functions/cases/list.handler`): the registry area's entry minifies to 8.0 KB
 * this way, 11.7 KB with object literals.
 */
export const route = (method: Route["method"], path: string, file: string, permission: Route["permission"], extra?: Partial<Route>): Route => ({
  method,
  path,
  handler: `functions/${file}.handler`,
  permission,
  ...extra,
});

/** `functions/cases/list.handler` → `cases/list`: the key of a handler's module in an entry's loaders. */
export const handlerModule = (handler: string): string => handler.slice(handler.indexOf("/") + 1, handler.lastIndexOf("."));
