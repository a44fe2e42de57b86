import { api } from "../http.ts";
import { searchRegistry } from "../../core/registry/search.ts";

export const handler = api((req) => searchRegistry(req.principal, req.body, req.now));
