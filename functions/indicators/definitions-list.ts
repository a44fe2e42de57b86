import { api } from "../http.ts";
import { listDefinitions } from "../../core/indicator/service.ts";

export const handler = api((req) => listDefinitions(req.principal, req.query));
