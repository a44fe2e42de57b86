import { publicApi, reply } from "../http.ts";
import { parse } from "../../core/validate.ts";
import { LogoutInput } from "../../core/user/schema.ts";
import { logout } from "../../core/user/login.ts";

export const handler = publicApi(async (req) => {
  const input = parse(LogoutInput, req.body, "logout request");
  await logout(input.refreshToken, req.now, input.everywhere ?? false);
  return reply(204);
});
