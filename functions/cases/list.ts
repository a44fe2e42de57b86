import { api } from "../http.ts";
import { listCases } from "../../core/case/read.ts";
import { inCrs } from "../../core/case/view.ts";
import { CrsQuery } from "../../core/geo/crs.ts";
import { parse } from "../../core/validate.ts";

/** `GET /v1/cases[?crs=gcj02|bd09]`: locations in the asked system (WGS84 by default). */
export const handler = api(async (req) => {
  const { crs } = parse(CrsQuery, req.query, "query");
  const page = await listCases(req.principal, req.query, req.now);
  return { ...page, items: page.items.map((v) => inCrs(v, crs)) };
});
