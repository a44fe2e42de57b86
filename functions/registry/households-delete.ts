import { api, reply } from "../http.ts";
import { deleteHousehold } from "../../core/registry/households.ts";

export const handler = api(async (req) => {
  await deleteHousehold(req.principal, req.params.id, req.query, req.now);
  return reply(204);
});
