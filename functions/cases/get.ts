import { api } from "../http.ts";
import { readCase } from "../../core/case/read.ts";
import { inCrs } from "../../core/case/view.ts";
import { getCalendar } from "../../core/calendar/repo.ts";
import { withDeadlineWarnings } from "../../core/calendar/coverage.ts";
import { CrsQuery } from "../../core/geo/crs.ts";
import { parse } from "../../core/validate.ts";

/** `GET /v1/cases/{id}[?crs=gcj02|bd09]`: the location in the asked system (WGS84 by default). */
export const handler = api(async (req) => {
  const { crs } = parse(CrsQuery, req.query, "query");
  return inCrs(withDeadlineWarnings(await readCase(req.principal, req.params.id, req.now), await getCalendar(), req.now), crs);
});
