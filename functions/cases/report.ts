import { api, reply } from "../http.ts";
import { reportCase } from "../../core/case/report.ts";
import { inCrs } from "../../core/case/view.ts";
import { limitResidentReport } from "../../core/resident/limits.ts";
import { getCalendar } from "../../core/calendar/repo.ts";
import { withDeadlineWarnings } from "../../core/calendar/coverage.ts";
import { Crs, CrsQuery } from "../../core/geo/crs.ts";
import { parse } from "../../core/validate.ts";

export const handler = api(async (req) => {
  // the answer's location is in `?crs=`, else in the system the report's location was given in
  const asked = parse(CrsQuery, req.query, "query").crs ?? Crs.safeParse((req.body as { location?: { crs?: unknown } } | undefined)?.location?.crs).data;
  await limitResidentReport(req.principal, req.sourceIp, req.now); // per-phone and per-IP limits for residents
  const out = await reportCase(req.principal, req.body, req.now, req.headers["idempotency-key"]);
  return reply(out.replayed ? 200 : 201, inCrs(withDeadlineWarnings(out, await getCalendar(), req.now), asked), out.replayed ? { "idempotent-replayed": "true" } : {});
});
