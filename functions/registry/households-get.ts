import { api } from "../http.ts";
import { readHousehold } from "../../core/registry/households.ts";

export const handler = api((req) => readHousehold(req.principal, req.params.id));
