import { publicApi, reply } from "../http.ts";
import { apiDocument } from "./spec.ts";

/** `GET /v1/openapi.json`: the OpenAPI 3.1 document, generated from the route table and the zod schemas. */
export const handler = publicApi(async () => reply(200, apiDocument(), { "cache-control": "public, max-age=300" }));
