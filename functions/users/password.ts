import { api, reply } from "../http.ts";
import { setStaffPassword } from "../../core/user/service.ts";

export const handler = api(async (req) => {
  await setStaffPassword(req.principal, req.params.id, req.body, req.now);
  return reply(204);
});
