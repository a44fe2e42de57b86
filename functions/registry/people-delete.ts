import { api, reply } from "../http.ts";
import { deletePerson } from "../../core/registry/people.ts";

export const handler = api(async (req) => {
  await deletePerson(req.principal, req.params.id, req.query, req.now);
  return reply(204);
});
