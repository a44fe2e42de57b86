import { publicApi, reply } from "../http.ts";
import { verifyCode } from "../../core/resident/service.ts";
import { inCookie, wantsCookie } from "../../core/resident/cookie.ts";

/**
 * `POST /v1/residents/verify {phone, code, gridCode}`: register into the grid and open a resident session.
 * With `X-Wangge-Session: cookie` the refresh token goes into an HttpOnly cookie, not the body (core/resident/cookie.ts).
 */
export const handler = publicApi(async (req) => {
  const s = await verifyCode(req.body, req.sourceIp, req.now);
  if (!wantsCookie(req.headers)) return s;
  const { body, headers } = inCookie(s);
  return reply(200, body, headers);
});
