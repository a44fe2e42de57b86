import { api, rawReply } from "../http.ts";
import { qrSheet } from "../../core/resident/qr-sheet.ts";
import { consoleOrigin } from "./origin.ts";

/** `GET /v1/units/{id}/qr-sheet.html`: a printable sheet with the QR code of every grid under the unit. */
export const handler = api(async (req) => rawReply(200, await qrSheet(req.principal, req.params.id, consoleOrigin(req)), "text/html; charset=utf-8", { "cache-control": "private, no-store" }));
