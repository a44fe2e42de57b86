import { api } from "../http.ts";
import { listCategories } from "../../core/category/service.ts";

export const handler = api((req) => listCategories(req.principal, req.query));
