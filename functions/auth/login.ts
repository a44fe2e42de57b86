import { publicApi } from "../http.ts";
import { parse } from "../../core/validate.ts";
import { LoginInput } from "../../core/user/schema.ts";
import { login } from "../../core/user/login.ts";

export const handler = publicApi(async (req) => {
  const input = parse(LoginInput, req.body, "login");
  return login(input.username, input.password, req.now, req.sourceIp);
});
