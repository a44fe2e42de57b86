import { api, reply } from "../http.ts";
import { markRead } from "../../core/notify/inbox.ts";

export const handler = api(async (req) => {
  await markRead(req.principal.id, req.params.id);
  return reply(204);
});
