import { api } from "../http.ts";
import { updateDefinition } from "../../core/indicator/service.ts";

export const handler = api((req) => updateDefinition(req.principal, req.params.key, req.body, req.now));
