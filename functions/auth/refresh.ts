import { publicApi } from "../http.ts";
import { parse } from "../../core/validate.ts";
import { RefreshInput } from "../../core/user/schema.ts";
import { refresh } from "../../core/user/login.ts";

export const handler = publicApi(async (req) => {
  const input = parse(RefreshInput, req.body, "refresh request");
  return refresh(input.refreshToken, req.now);
});
