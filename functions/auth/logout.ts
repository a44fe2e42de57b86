import { publicApi, reply } from "../http.ts";
import { parse } from "../../core/validate.ts";
import { LogoutInput } from "../../core/user/schema.ts";
import { logout } from "../../core/user/login.ts";
import { checkCookieRequest, clearStaffCookie, staffCookieToken } from "../../core/user/cookie.ts";

/**
 * `POST /v1/auth/logout [{refreshToken, everywhere}]`: revoke the refresh token — the body's, or
 * without one the `wg_srt` cookie's (after the CSRF checks of core/user/cookie.ts) — and, with
 * `everywhere`, end every session of the user. Always clears the cookie; 204 whether or not the
 * token was still live.
 */
export const handler = publicApi(async (req) => {
  const input = req.body === undefined ? {} : parse(LogoutInput, req.body, "logout request");
  let token = input.refreshToken;
  if (token === undefined && staffCookieToken(req.headers) !== undefined) {
    checkCookieRequest(req.headers);
    token = staffCookieToken(req.headers);
  }
  if (token !== undefined) await logout(token, req.now, input.everywhere ?? false);
  return reply(204, undefined, { "set-cookie": clearStaffCookie(), "cache-control": "no-store" });
});
