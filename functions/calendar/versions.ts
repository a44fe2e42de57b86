import { api } from "../http.ts";
import { listCalendarVersions } from "../../core/calendar/service.ts";

export const handler = api((req) => listCalendarVersions(req.query));
