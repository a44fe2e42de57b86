import { serviceDefinition } from "../../core/open311/service-list.ts";
import { open311 } from "./respond.ts";

/** `GET /open311/v2/services/{service_code}.{json,xml}`: a service definition. No api_key needed. */
export const handler = open311(async (req) => ({ root: "service_definition", value: await serviceDefinition(req.id, req.query) }));
