import * as z from "zod/mini";
import { PageQuery, type Page } from "../db/page.ts";
import { ConflictError, InvalidError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { parse } from "../validate.ts";
import { Calendar } from "./schema.ts";
import { applyNotice, calendarWarnings, HolidayNotice, noticeFromCsv, type CalendarWarning } from "./coverage.ts";
import { calendarVersionsPage, defaultCalendarRecord, forgetCalendar, getStoredCalendar, saveCalendarVersion, type CalendarRecord, type CalendarVersion } from "./repo.ts";

/** `PUT /v1/calendar`: the whole calendar and the version read (0 when the default was shown). */
export const PutCalendar = z.safeExtend(Calendar, { version: z.number().check(z.int(), z.gte(0)) });

/** Sorted, without repeats: stable diffs and a readable audit trail. */
export function normalizeCalendar(c: Calendar): Calendar {
  const uniq = <T>(xs: T[]) => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { timeZone: c.timeZone, periods: c.periods, weekdays: uniq(c.weekdays), holidays: uniq(c.holidays), workdays: uniq(c.workdays) };
}

/** The county calendar now (the bundled default, version 0, until one is saved). */
export async function readCalendar(): Promise<CalendarRecord> {
  return (await getStoredCalendar(true)) ?? defaultCalendarRecord();
}

/**
 * Replace the calendar (county-wide calendar:write, the version read). The new version is stored
 * as the current calendar and as its own version item; the audit entry holds the diff.
 */
export async function putCalendar(p: Principal, input: unknown, now: Date): Promise<CalendarRecord> {
  requireCountyWide(p, "calendar:write");
  const { version, ...data } = parse(PutCalendar, input, "calendar");
  const stored = await getStoredCalendar(true);
  const current = stored ?? defaultCalendarRecord();
  if (version !== current.version) throw new ConflictError("The calendar was changed by someone else; reload and retry", { current });
  const at = now.toISOString();
  const cal = normalizeCalendar(data);
  const next: CalendarRecord = { ...cal, version: current.version + 1, updatedAt: at };
  const saved: CalendarVersion = { version: next.version, calendar: cal, savedAt: at, savedBy: actorOf(p) };
  await saveCalendarVersion(next, saved, stored ? version : undefined, auditPut({ actor: actorOf(p), action: "calendar.update", entity: "calendar", entityId: "county", summary: `calendar version ${next.version}`, changes: diff(current, next) }, now));
  forgetCalendar();
  return next;
}

/** Saved versions, newest first. */
export async function listCalendarVersions(input: unknown): Promise<Page<CalendarVersion>> {
  const q = parse(PageQuery, input, "query");
  return calendarVersionsPage(q);
}

/** `GET /v1/calendar`: the calendar and its warnings (a year without official holidays, from 1 November before it). */
export async function readCalendarWithWarnings(now: Date): Promise<CalendarRecord & { warnings: CalendarWarning[] }> {
  const cal = await readCalendar();
  return { ...cal, warnings: calendarWarnings(cal, now) };
}

/**
 * `POST /v1/calendar/holidays`: import one year's State Council notice from one small file (JSON
 * or CSV, see `HolidayNotice`): that year's holidays and make-up working days replace the ones
 * the calendar had for it; other years and the rest of the calendar stay. A new calendar version,
 * written like any other (conditional on the version read, audited); a concurrent edit is retried.
 */
export async function importHolidayNotice(p: Principal, body: unknown, now: Date): Promise<CalendarRecord & { warnings: CalendarWarning[]; imported: { year: number; holidays: number; workdays: number } }> {
  requireCountyWide(p, "calendar:write");
  const raw = typeof body === "string" ? noticeFromCsv(body) : body;
  const csvErrors = (raw as { __csvErrors?: unknown } | undefined)?.__csvErrors;
  if (csvErrors) throw new InvalidError("Invalid holiday notice", { fields: csvErrors });
  const notice = parse(HolidayNotice, raw, "holiday notice");
  for (let attempt = 0; ; attempt++) {
    const current = await readCalendar();
    const next = applyNotice(current, notice);
    try {
      const saved = await putCalendar(p, { timeZone: next.timeZone, periods: next.periods, weekdays: next.weekdays, holidays: next.holidays, workdays: next.workdays, version: current.version }, now);
      return { ...saved, warnings: calendarWarnings(saved, now), imported: { year: notice.year, holidays: notice.holidays.length, workdays: notice.workdays.length } };
    } catch (e) {
      if (!(e instanceof ConflictError) || attempt >= 2) throw e;
    }
  }
}
