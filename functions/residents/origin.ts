import type { ApiRequest } from "../http.ts";

/**
 * The console's origin, where `/resident/` is served: the first WANGGE_CONSOLE_ORIGIN entry when
 * it names one, else the origin the request came from (the console calling the API), else this
 * API's own host (the local stack serves the console and the API on one origin).
 */
export function consoleOrigin(req: ApiRequest, env: Record<string, string | undefined> = process.env): string {
  const configured = (env.WANGGE_CONSOLE_ORIGIN ?? "")
    .split(",")
    .map((s) => s.trim().replace(/\/+$/, ""))
    .find((s) => /^https?:\/\/[^*]+$/.test(s));
  if (configured) return configured;
  const origin = req.headers.origin;
  if (origin && /^https?:\/\/[\w.:[\]-]+$/.test(origin)) return origin;
  const host = req.headers["x-forwarded-host"] ?? req.headers.host ?? "localhost";
  const local = /^(localhost|127\.|\[::1\])/.test(host);
  return `${req.headers["x-forwarded-proto"] ?? (local ? "http" : "https")}://${host}`;
}
