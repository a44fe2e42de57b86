import { api } from "../http.ts";
import { NotFoundError } from "../../core/errors.ts";
import { parse } from "../../core/validate.ts";
import { LocateQuery } from "../../core/unit/schema.ts";
import { locatePoint } from "../../core/unit/locate.ts";
import { toWgs84 } from "../../core/geo/crs.ts";

export const handler = api(async (req) => {
  const q = parse(LocateQuery, req.query, "query");
  const found = await locatePoint(...toWgs84(q.lng, q.lat, q.crs));
  if (!found) throw new NotFoundError("No active unit contains this point");
  const brief = (u: typeof found.unit) => ({ id: u.id, name: u.name, code: u.code, level: u.level, path: u.path });
  return { unit: brief(found.unit), ancestors: found.ancestors.map(brief) };
});
