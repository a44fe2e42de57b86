import { api, rawReply, reply } from "../http.ts";
import { exportUnits } from "../../core/unit/export.ts";

/**
 * `GET /v1/units/export?format=geojson|csv&subtreeOf=<id>`: the unit tree as a file the import
 * reads back; a file too large for a response is a 303 to a short-lived download URL.
 */
export const handler = api(async (req) => {
  const file = await exportUnits(req.principal, req.query, req.now);
  if (file.kind === "download") return reply(303, { url: file.url, fileName: file.fileName }, { location: file.url });
  return rawReply(200, file.body, file.contentType, { "content-disposition": `attachment; filename="${file.fileName}"` });
});
