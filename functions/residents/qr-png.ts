import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { api, rawReply } from "../http.ts";
import { unitQr } from "../../core/resident/qr-sheet.ts";
import { consoleOrigin } from "./origin.ts";

const inner = api(async (req) => {
  const scale = Math.min(20, Math.max(2, Number(req.query.scale ?? 10) || 10));
  const qr = await unitQr(req.principal, req.params.id, consoleOrigin(req));
  return rawReply(200, qr.png(scale).toString("base64"), "image/png", { "cache-control": "private, max-age=300", "x-qr-url": qr.url });
});

/** `GET /v1/units/{id}/qr.png[?scale=2..20]`: the same QR code as a PNG (binary: base64 on the wire to API Gateway). */
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const out = await inner(event);
  return out.statusCode === 200 ? { ...out, isBase64Encoded: true } : out;
};
