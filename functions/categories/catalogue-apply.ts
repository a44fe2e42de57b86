import { api } from "../http.ts";
import { applyCatalogue } from "../../core/category/catalogue.ts";

export const handler = api((req) => applyCatalogue(req.principal, req.body, req.now));
