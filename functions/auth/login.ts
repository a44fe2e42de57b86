import { publicApi, reply } from "../http.ts";
import { parse } from "../../core/validate.ts";
import { LoginInput } from "../../core/user/schema.ts";
import { login } from "../../core/user/login.ts";
import { checkCookieRequest, inStaffCookie, wantsCookie } from "../../core/user/cookie.ts";

/**
 * `POST /v1/auth/login {username, password}`. With `X-Wangge-Session: cookie` (the console) the
 * refresh token goes only into the HttpOnly `wg_srt` cookie, never the body (core/user/cookie.ts);
 * other clients get it in the body.
 */
export const handler = publicApi(async (req) => {
  const input = parse(LoginInput, req.body, "login");
  const cookie = wantsCookie(req.headers);
  if (cookie) checkCookieRequest(req.headers);
  const s = await login(input.username, input.password, req.now, req.sourceIp);
  if (!cookie) return s;
  const { body, headers } = inStaffCookie(s);
  return reply(200, body, headers);
});
