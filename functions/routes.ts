import type { Permission } from "../core/auth/roles.ts";

/**
 * The route table: the single source of truth for the HTTP API. `stacks/Api.ts` creates one
 * API Gateway route per entry; `local/api-server.ts` serves the same entries; the shared wrapper
 * (`functions/http.ts`) enforces each entry's permission before the handler runs.
 */
export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** `functions/<area>/<file>.<export>` as SST expects */
  handler: string;
  permission: Permission;
  /** Request body limit in bytes (default 256 KiB) */
  maxBody?: number;
}

const r = (method: Route["method"], path: string, handler: string, permission: Permission, extra: Partial<Route> = {}): Route => ({
  method,
  path,
  handler: `functions/${handler}.handler`,
  permission,
  ...extra,
});

export const routes: Route[] = [
  r("GET", "/v1/health", "health/get", "public"),
  r("POST", "/v1/auth/login", "auth/login", "public"),
  r("POST", "/v1/auth/refresh", "auth/refresh", "public"),
  r("POST", "/v1/auth/logout", "auth/logout", "public"),
  r("GET", "/v1/me", "auth/me", "authenticated"),
];

export const routeKey = (route: Pick<Route, "method" | "path">): string => `${route.method} ${route.path}`;

const byKey = new Map(routes.map((x) => [routeKey(x), x]));

export function findRoute(key: string): Route | undefined {
  return byKey.get(key);
}
