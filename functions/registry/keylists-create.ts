import { api, reply } from "../http.ts";
import { createKeyEntry } from "../../core/registry/keylists.ts";

export const handler = api(async (req) => reply(201, await createKeyEntry(req.principal, req.body, req.now)));
