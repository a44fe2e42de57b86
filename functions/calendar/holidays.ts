import { api } from "../http.ts";
import { importHolidayNotice } from "../../core/calendar/service.ts";

/** `POST /v1/calendar/holidays`: one year's official holiday notice, as JSON or CSV (`text/csv`). */
export const handler = api((req) => importHolidayNotice(req.principal, req.body, req.now));
