import { api } from "../http.ts";
import { updateCategory } from "../../core/category/service.ts";

export const handler = api((req) => updateCategory(req.principal, req.params.id, req.body, req.now));
