import { api } from "../http.ts";
import { listDeliveries } from "../../core/webhook/service.ts";

export const handler = api((req) => listDeliveries(req.principal, req.params.id, req.query));
