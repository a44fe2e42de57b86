import { createRequire } from "node:module";

/**
 * node:http, through `require` rather than an ESM import. ESM's view of a built-in module reads every
 * export, and one of node:http's (WebSocket) is a getter that loads Node's fetch implementation,
 * undici: importing node:http as ESM takes 19.7–20.3 ms in a fresh process here, `require` 3.1–3.6 ms. The
 * AWS SDK reaches AWS over node:https, which never builds that view, so a container in AWS that
 * imports node:http only this way never loads undici (docs/deploy.md "Cold path").
 */
export const nodeHttp = createRequire(import.meta.url)("node:http") as typeof import("node:http");
