import { api, reply } from "../http.ts";
import { deletePlace } from "../../core/registry/places.ts";

export const handler = api(async (req) => {
  await deletePlace(req.principal, req.params.id, req.query, req.now);
  return reply(204);
});
