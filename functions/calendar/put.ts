import { api } from "../http.ts";
import { putCalendar } from "../../core/calendar/service.ts";

export const handler = api((req) => putCalendar(req.principal, req.body, req.now));
