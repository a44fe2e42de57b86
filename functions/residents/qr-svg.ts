import { api, rawReply } from "../http.ts";
import { unitQr } from "../../core/resident/qr-sheet.ts";
import { consoleOrigin } from "./origin.ts";

/** `GET /v1/units/{id}/qr.svg`: the grid's QR code, pointing at `<console>/resident/?grid=<code>`. */
export const handler = api(async (req) => {
  const qr = await unitQr(req.principal, req.params.id, consoleOrigin(req));
  return rawReply(200, qr.svg(), "image/svg+xml", { "cache-control": "private, max-age=300", "x-qr-url": qr.url });
});
