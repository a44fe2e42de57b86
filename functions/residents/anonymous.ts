import { publicApi, reply } from "../http.ts";
import { anonymousSession } from "../../core/resident/service.ts";
import { inCookie, wantsCookie } from "../../core/resident/cookie.ts";

/**
 * `POST /v1/residents/anonymous {gridCode}`: a session without a phone, where the county allows anonymous reports.
 * With `X-Wangge-Session: cookie` the refresh token goes into an HttpOnly cookie, not the body (core/resident/cookie.ts).
 */
export const handler = publicApi(async (req) => {
  const s = await anonymousSession(req.body, req.sourceIp, req.now);
  if (!wantsCookie(req.headers)) return s;
  const { body, headers } = inCookie(s);
  return reply(200, body, headers);
});
