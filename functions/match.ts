import type { Route } from "./routes.ts";

/**
 * The one path matcher of the route table, used by the local API Gateway (local/api-server.ts) and
 * by the area routers (functions/router.ts): `{name}` matches one segment, `{name+}` the rest.
 * Routes with fewer parameters are tried first, so `/v1/units/locate` wins over `/v1/units/{id}`
 * (API Gateway's own rule: the most specific route wins).
 */
export interface CompiledRoute<R extends Pick<Route, "method" | "path"> = Route> {
  route: R;
  re: RegExp;
  names: string[];
}

export function compileRoute<R extends Pick<Route, "method" | "path">>(route: R): CompiledRoute<R> {
  const names: string[] = [];
  const pattern = route.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{([a-zA-Z0-9_]+)(\\\+)?\}/g, (_m, name, plus) => {
    names.push(name);
    return plus ? "(.+)" : "([^/]+)";
  });
  return { route, re: new RegExp(`^${pattern}$`), names };
}

/** Compiled routes in matching order (static segments first). */
export function compileRoutes<R extends Pick<Route, "method" | "path">>(list: readonly R[]): CompiledRoute<R>[] {
  return list.map(compileRoute).sort((a, b) => a.names.length - b.names.length);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The first route matching method and path, with its decoded path parameters. */
export function matchRoute<R extends Pick<Route, "method" | "path">>(
  compiled: readonly CompiledRoute<R>[],
  method: string,
  path: string,
): { route: R; params: Record<string, string> } | undefined {
  for (const c of compiled) {
    if (c.route.method !== method) continue;
    const m = c.re.exec(path);
    if (!m) continue;
    return { route: c.route, params: Object.fromEntries(c.names.map((n, i) => [n, safeDecode(m[i + 1])])) };
  }
  return undefined;
}
