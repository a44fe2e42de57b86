import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { XLSX_TYPE } from "../core/xlsx/schema.ts";
import { api, rawReply, type AuthedRequest } from "./http.ts";

/** `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987) for Chinese file names. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** A route answering an .xlsx workbook (binary: base64 on the wire to API Gateway, like qr.png). */
export function xlsxApi(fn: (req: AuthedRequest) => Promise<{ bytes: Uint8Array; fileName: string }>) {
  const inner = api(async (req) => {
    const f = await fn(req);
    return rawReply(200, Buffer.from(f.bytes).toString("base64"), XLSX_TYPE, { "content-disposition": attachment(f.fileName), "cache-control": "no-store" });
  });
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const out = await inner(event);
    return out.statusCode === 200 ? { ...out, isBase64Encoded: true } : out;
  };
}
