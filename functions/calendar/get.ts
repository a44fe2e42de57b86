import { api } from "../http.ts";
import { readCalendarWithWarnings } from "../../core/calendar/service.ts";

export const handler = api((req) => readCalendarWithWarnings(req.now));
