import { publicApi, reply } from "../http.ts";
import { refreshSession } from "../../core/resident/service.ts";
import { cookieToken, inCookie, wantsCookie } from "../../core/resident/cookie.ts";

/**
 * `POST /v1/residents/refresh {refreshToken}`: renew a resident session (the refresh token is replaced).
 * Without a body token, the HttpOnly cookie's is used; a token that came from the cookie (or a
 * request in cookie mode) is answered only in Set-Cookie, never in the body (core/resident/cookie.ts).
 */
export const handler = publicApi(async (req) => {
  const fromCookie = req.body === undefined || (typeof req.body === "object" && req.body !== null && !Object.hasOwn(req.body, "refreshToken")) ? cookieToken(req.headers) : undefined;
  const s = await refreshSession(fromCookie ? { refreshToken: fromCookie } : req.body, req.now);
  if (!fromCookie && !wantsCookie(req.headers)) return s;
  const { body, headers } = inCookie(s);
  return reply(200, body, headers);
});
