import type { ResidentSession } from "./schema.ts";

/**
 * The resident page keeps its refresh token in a cookie no script can read (docs/registry.md
 * "Resident sessions"): `HttpOnly; Secure; SameSite=Strict`, sent only to `/v1/residents/*`. A
 * browser asks for it with `X-Wangge-Session: cookie` on verify/anonymous; then (and whenever the
 * token came from the cookie) the token travels only in Set-Cookie, never in the JSON body. Other
 * clients (apps, mini-programs) keep receiving it in the body as before.
 */
export const REFRESH_COOKIE = "wg_rrt";
export const COOKIE_MODE_HEADER = "x-wangge-session";
const MAX_AGE = 30 * 86_400;

export const wantsCookie = (headers: Record<string, string>) => headers[COOKIE_MODE_HEADER]?.trim().toLowerCase() === "cookie";

export function setCookie(token: string): string {
  return `${REFRESH_COOKIE}=${token}; Path=/v1/residents; Max-Age=${MAX_AGE}; HttpOnly; Secure; SameSite=Strict`;
}

/** Clears the cookie: same name and attributes, empty value, `Max-Age=0` (the browser drops it at once). */
export function clearCookie(): string {
  return `${REFRESH_COOKIE}=; Path=/v1/residents; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
}

/** The refresh token of the cookie header, if any. */
export function cookieToken(headers: Record<string, string>): string | undefined {
  for (const part of (headers.cookie ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === REFRESH_COOKIE && rest.length) return rest.join("=");
  }
  return undefined;
}

/** The session as answered in cookie mode: the body without the refresh token, the token in Set-Cookie. */
export function inCookie(s: ResidentSession): { body: Omit<ResidentSession, "refreshToken">; headers: Record<string, string> } {
  const { refreshToken, ...body } = s;
  return { body, headers: { "set-cookie": setCookie(refreshToken), "cache-control": "no-store" } };
}
