import { api } from "../http.ts";
import { readCase } from "../../core/case/service.ts";
import { getCalendar } from "../../core/calendar/repo.ts";
import { withDeadlineWarnings } from "../../core/calendar/coverage.ts";

export const handler = api(async (req) => withDeadlineWarnings(await readCase(req.principal, req.params.id, req.now), await getCalendar(), req.now));
