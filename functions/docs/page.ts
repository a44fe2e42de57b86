import { renderReference } from "../../core/openapi/render.ts";
import { publicApi, rawReply } from "../http.ts";
import { apiDocument } from "./spec.ts";

let html: string | undefined;

/** `GET /docs`: the human-readable API reference (self-contained HTML, no CDN). */
export const handler = publicApi(async () => {
  html ??= renderReference(apiDocument());
  return rawReply(200, html, "text/html; charset=utf-8", { "cache-control": "public, max-age=300" });
});
