import { publicApi, rawReply } from "../http.ts";
import { apiDocsText } from "./static.ts";

/** `GET /v1/openapi.json`: the OpenAPI 3.1 document, generated from the route table and the zod schemas at build time (./static.ts). */
export const handler = publicApi(async () => rawReply(200, await apiDocsText("openapi"), "application/json; charset=utf-8", { "cache-control": "public, max-age=300" }));
