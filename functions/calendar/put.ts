import { api } from "../http.ts";
import { putCalendar } from "../../core/calendar/service.ts";
import { calendarWarnings } from "../../core/calendar/coverage.ts";

/** The saved calendar, with the same `warnings` as `GET /v1/calendar`. */
export const handler = api(async (req) => {
  const saved = await putCalendar(req.principal, req.body, req.now);
  return { ...saved, warnings: calendarWarnings(saved, req.now) };
});
