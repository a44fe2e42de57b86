import { publicApi, reply } from "../http.ts";
import { endSession } from "../../core/resident/service.ts";
import { clearCookie, cookieToken } from "../../core/resident/cookie.ts";

/**
 * `POST /v1/residents/logout [{refreshToken}]`: end a resident session. The refresh token comes from
 * the body or, without one, from the HttpOnly cookie; it is revoked, and the cookie is always cleared
 * (`Max-Age=0`, same path and attributes). Answers 204 whether or not the token was still live.
 */
export const handler = publicApi(async (req) => {
  const hasBodyToken = typeof req.body === "object" && req.body !== null && Object.hasOwn(req.body, "refreshToken");
  const token = hasBodyToken ? undefined : cookieToken(req.headers);
  if (hasBodyToken) await endSession(req.body);
  else if (token) await endSession({ refreshToken: token });
  else if (req.body !== undefined) await endSession(req.body);
  return reply(204, undefined, { "set-cookie": clearCookie(), "cache-control": "no-store" });
});
