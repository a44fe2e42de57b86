import { api } from "../http.ts";
import { updateKeyEntry } from "../../core/registry/keylists.ts";

export const handler = api((req) => updateKeyEntry(req.principal, req.params.id, req.body, req.now));
