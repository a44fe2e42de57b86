import { api } from "../http.ts";
import { updateHousehold } from "../../core/registry/households.ts";

export const handler = api((req) => updateHousehold(req.principal, req.params.id, req.body, req.now));
