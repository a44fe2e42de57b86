import { addDaysToDate, localDateOf, zonedTimeToUtc } from "../calendar/time.ts";

/** County-local days (pure; the zone comes from the county settings). */
export const countyDate = (at: Date, timeZone: string) => localDateOf(at, timeZone);
export const dayStart = (date: string, timeZone: string) => zonedTimeToUtc(date, "00:00", timeZone);
export const dayEnd = (date: string, timeZone: string) => zonedTimeToUtc(date, "24:00", timeZone);
export const addDays = addDaysToDate;

/** The days after `lastDone` up to and including `until`, at most `max` of them (the latest ones). */
export function daysToProcess(lastDone: string | undefined, until: string, max: number): string[] {
  const days: string[] = [];
  for (let d = until; days.length < max && (!lastDone || d > lastDone); d = addDaysToDate(d, -1)) days.unshift(d);
  return days;
}
