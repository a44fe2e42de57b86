import { publicApi, reply } from "../http.ts";
import { parse } from "../../core/validate.ts";
import { RefreshInput } from "../../core/user/schema.ts";
import { refresh } from "../../core/user/login.ts";
import { UnauthorizedError } from "../../core/errors.ts";
import { checkCookieRequest, inStaffCookie, staffCookieToken, wantsCookie } from "../../core/user/cookie.ts";

/**
 * `POST /v1/auth/refresh [{refreshToken}]`: rotate a staff refresh token. A body token (partners,
 * scripts) is answered in the body. Without one, the token is the HttpOnly `wg_srt` cookie's — only
 * for a request that passes the CSRF checks (core/user/cookie.ts `checkCookieRequest`: the
 * `X-Wangge-Session: cookie` header, not cross-site, own Origin) — and the new one is answered only
 * in Set-Cookie.
 */
export const handler = publicApi(async (req) => {
  const input = req.body === undefined ? {} : parse(RefreshInput, req.body, "refresh request");
  if (input.refreshToken !== undefined) {
    const s = await refresh(input.refreshToken, req.now);
    if (!wantsCookie(req.headers)) return s;
    const { body, headers } = inStaffCookie(s);
    return reply(200, body, headers);
  }
  checkCookieRequest(req.headers);
  const token = staffCookieToken(req.headers);
  if (!token) throw new UnauthorizedError("No session: sign in", { reason: "refresh_invalid" });
  const { body, headers } = inStaffCookie(await refresh(token, req.now));
  return reply(200, body, headers);
});
