import { api, reply } from "../http.ts";
import { reveal } from "../../core/registry/reveal.ts";

export const handler = api(async (req) => reply(200, await reveal(req.principal, "household", req.params.id, req.body, req.now), { "cache-control": "no-store" }));
