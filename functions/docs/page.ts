import { publicApi, rawReply } from "../http.ts";
import { apiDocsText } from "./static.ts";

/** `GET /docs`: the human-readable API reference (self-contained HTML, no CDN), built at build time (./static.ts). */
export const handler = publicApi(async () => rawReply(200, await apiDocsText("page"), "text/html; charset=utf-8", { "cache-control": "public, max-age=300" }));
