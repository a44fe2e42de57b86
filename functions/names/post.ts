import { api } from "../http.ts";
import { names } from "../../core/names/service.ts";

export const handler = api((req) => names(req.body));
