import { listServices } from "../../core/open311/service-list.ts";
import { open311 } from "./respond.ts";

/** `GET /open311/v2/services.{json,xml}`: the service list (categories). No api_key needed. */
export const handler = open311(async (req) => ({ root: "services", value: await listServices(req.query) }));
