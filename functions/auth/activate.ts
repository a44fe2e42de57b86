import { publicApi, reply } from "../http.ts";
import { activate } from "../../core/user/activation.ts";

/**
 * `POST /v1/auth/activate {username, code, password}`: first sign-in of an imported account with its
 * activation code (core/user/activation.ts). 204 once the password is set (then sign in with it);
 * any wrong, used or expired code answers 401 like a wrong password.
 */
export const handler = publicApi(async (req) => {
  await activate(req.body, req.now, req.sourceIp);
  return reply(204);
});
