import { ForbiddenError } from "../errors.ts";
import type { Session } from "./login.ts";

/**
 * The staff console keeps its refresh token in a cookie no script can read (docs/security.md
 * "Sessions and login"): `wg_srt`, `HttpOnly; Secure; SameSite=Strict`, sent only to `/v1/auth/*`.
 * The console asks for it with `X-Wangge-Session: cookie` on login and refresh; the token then
 * travels only in Set-Cookie, never in the JSON body. Partners and scripts that do not ask keep the
 * body token (test/reliability/login.test.ts, docs/api.md).
 *
 * `Secure` is set everywhere, locally too: browsers treat `http://localhost` (and 127.0.0.1) as a
 * secure context and keep Secure cookies there; a console opened over plain http from another
 * address (a LAN IP) cannot sign in — use localhost or https.
 */
export const STAFF_REFRESH_COOKIE = "wg_srt";
export const SESSION_MODE_HEADER = "x-wangge-session";
const PATH = "/v1/auth";
const MAX_AGE = 14 * 86_400;

export const wantsCookie = (headers: Record<string, string>) => headers[SESSION_MODE_HEADER]?.trim().toLowerCase() === "cookie";

export function setStaffCookie(token: string): string {
  return `${STAFF_REFRESH_COOKIE}=${token}; Path=${PATH}; Max-Age=${MAX_AGE}; HttpOnly; Secure; SameSite=Strict`;
}

/** Clears the cookie: same name and attributes, empty value, `Max-Age=0`. */
export function clearStaffCookie(): string {
  return `${STAFF_REFRESH_COOKIE}=; Path=${PATH}; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
}

/** The staff refresh token of the Cookie header, if any. */
export function staffCookieToken(headers: Record<string, string>): string | undefined {
  for (const part of (headers.cookie ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === STAFF_REFRESH_COOKIE && rest.length && rest.join("=")) return rest.join("=");
  }
  return undefined;
}

/** The session as answered in cookie mode: the body without the refresh token, the token in Set-Cookie. */
export function inStaffCookie(s: Session): { body: Omit<Session, "refreshToken">; headers: Record<string, string> } {
  const { refreshToken, ...body } = s;
  return { body, headers: { "set-cookie": setStaffCookie(refreshToken), "cache-control": "no-store" } };
}

/**
 * A request that uses the cookie must not be forgeable by another site (CSRF). Besides
 * SameSite=Strict (the browser does not send the cookie on cross-site requests):
 * - it must carry `X-Wangge-Session: cookie`. A page of another origin can only send that header
 *   after a CORS preflight, which the API answers only for the console's origin (and never with
 *   credentials for "*"); an HTML form cannot send it at all;
 * - `Sec-Fetch-Site: cross-site` is refused;
 * - an `Origin` header, when the browser sends one, must be the origin the request was made to:
 *   its host is `X-Forwarded-Host` (set by the console's CloudFront for `/v1/*`, stacks/Console.ts)
 *   or `Host`, or one of `WANGGE_CONSOLE_ORIGIN` (a console on its own origin, CORS).
 * Refused with 403 `csrf` before the token is touched (a refused request spends no token).
 */
export function checkCookieRequest(headers: Record<string, string>, env: Record<string, string | undefined> = process.env): void {
  const refuse = (why: string) => {
    throw new ForbiddenError("A session cookie is accepted only from the console itself", { reason: "csrf", check: why });
  };
  if (!wantsCookie(headers)) refuse("x-wangge-session");
  if (headers["sec-fetch-site"]?.trim().toLowerCase() === "cross-site") refuse("sec-fetch-site");
  const origin = headers.origin?.trim();
  if (origin === undefined) return;
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {
    return refuse("origin");
  }
  const own = [headers["x-forwarded-host"], headers.host].filter((h): h is string => !!h).map((h) => h.split(",")[0].trim().toLowerCase());
  const listed = (env.WANGGE_CONSOLE_ORIGIN ?? "")
    .split(",")
    .map((x) => x.trim().replace(/\/+$/, "").toLowerCase())
    .filter((x) => x && x !== "*");
  if (own.includes(host) || listed.includes(origin.replace(/\/+$/, "").toLowerCase())) return;
  refuse("origin");
}
