import { api } from "../http.ts";
import { readCategory } from "../../core/category/service.ts";

export const handler = api((req) => readCategory(req.principal, req.params.id));
