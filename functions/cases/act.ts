import { api, reply } from "../http.ts";
import { actOnCase } from "../../core/case/act.ts";
import { getCalendar } from "../../core/calendar/repo.ts";
import { withDeadlineWarnings } from "../../core/calendar/coverage.ts";

/** `POST /v1/cases/{id}/{action}`: every action of the case machine through one handler. */
export const handler = api(async (req) => {
  const out = await actOnCase(req.principal, req.params.id, req.params.action, req.body, req.now, req.headers["idempotency-key"]);
  return reply(200, withDeadlineWarnings(out, await getCalendar(), req.now), out.replayed ? { "idempotent-replayed": "true" } : {});
});
