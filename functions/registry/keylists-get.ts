import { api } from "../http.ts";
import { readKeyEntry } from "../../core/registry/keylists.ts";

export const handler = api((req) => readKeyEntry(req.principal, req.params.id));
