import { api } from "../http.ts";
import { listKeyEntries } from "../../core/registry/keylists.ts";

export const handler = api((req) => listKeyEntries(req.principal, req.query));
