import { publicApi } from "../http.ts";
import { gridPage } from "../../core/resident/service.ts";
import { CrsQuery, fromWgs84 } from "../../core/geo/crs.ts";
import { parse } from "../../core/validate.ts";

/** `GET /v1/residents/grids/{code}[?crs=gcj02|bd09]`: what the resident page shows after a scan (grid, path, categories; the centroid in the asked system). */
export const handler = publicApi(async (req) => {
  const { crs } = parse(CrsQuery, req.query, "query");
  const page = await gridPage(req.params.code, req.sourceIp, req.now);
  const c = page.grid.centroid;
  return crs && crs !== "wgs84" && c ? { ...page, grid: { ...page.grid, centroid: fromWgs84(c[0], c[1], crs) }, crs } : page;
});
