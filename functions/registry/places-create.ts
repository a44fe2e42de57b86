import { api, reply } from "../http.ts";
import { createPlace } from "../../core/registry/places.ts";

export const handler = api(async (req) => reply(201, await createPlace(req.principal, req.body, req.now)));
