import { api } from "../http.ts";
import { readCalendar } from "../../core/calendar/service.ts";

export const handler = api(() => readCalendar());
