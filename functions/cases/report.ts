import { api, reply } from "../http.ts";
import { reportCase } from "../../core/case/service.ts";
import { limitResidentReport } from "../../core/resident/limits.ts";
import { getCalendar } from "../../core/calendar/repo.ts";
import { withDeadlineWarnings } from "../../core/calendar/coverage.ts";

export const handler = api(async (req) => {
  await limitResidentReport(req.principal, req.sourceIp, req.now); // per-phone and per-IP limits for residents
  const out = await reportCase(req.principal, req.body, req.now, req.headers["idempotency-key"]);
  return reply(out.replayed ? 200 : 201, withDeadlineWarnings(out, await getCalendar(), req.now), out.replayed ? { "idempotent-replayed": "true" } : {});
});
