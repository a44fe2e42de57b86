import * as z from "zod/mini";
import type { Calendar } from "./schema.ts";
import { LocalDate } from "./schema.ts";
import { localDateOf, weekdayOfDate } from "./time.ts";

/**
 * Which years the calendar has official holiday data for, and the warnings when a deadline falls
 * in a year without it (docs/calendar.md "Years without holiday data").
 *
 * A year counts as covered when the calendar lists at least one holiday in it (every State
 * Council notice has New Year's Day). For an uncovered year the working days are the regular
 * weekdays only (Monday–Friday by default): that is the fallback, and it is what `addDuration`
 * does already. The warning for year Y starts on 1 November of Y−1 (county time), when the notice
 * is usually published.
 */
export function coveredYears(cal: Pick<Calendar, "holidays">): Set<number> {
  return new Set(cal.holidays.map((d) => Number(d.slice(0, 4))));
}

export const CalendarWarning = z.object({
  code: z.literal("holidays_missing"),
  year: z.number().check(z.int()),
  /** the response field whose instant lies in that year (absent on the calendar's own warnings) */
  field: z.optional(z.string()),
  message: z.string(),
});
export type CalendarWarning = z.infer<typeof CalendarWarning>;

const message = (year: number) =>
  `The working calendar has no official holidays for ${year}: deadlines in ${year} count Monday–Friday only until the State Council notice is imported (POST /v1/calendar/holidays)`;

/** Is `now` on or after 1 November (county time) of the year before `year`? */
function warnFor(year: number, now: Date, timeZone: string): boolean {
  return localDateOf(now, timeZone) >= `${year - 1}-11-01`;
}

/** The calendar's own warnings: this county year, and next year from 1 November, when not covered. */
export function calendarWarnings(cal: Pick<Calendar, "holidays" | "timeZone">, now: Date): CalendarWarning[] {
  const covered = coveredYears(cal);
  const year = Number(localDateOf(now, cal.timeZone).slice(0, 4));
  return [year, year + 1].filter((y) => !covered.has(y) && warnFor(y, now, cal.timeZone)).map((y) => ({ code: "holidays_missing" as const, year: y, message: message(y) }));
}

/** Warnings for instants (deadlines) that fall in a year without holiday data, named by field. */
export function deadlineWarnings(cal: Pick<Calendar, "holidays" | "timeZone">, instants: Record<string, string | undefined>, now: Date): CalendarWarning[] {
  const covered = coveredYears(cal);
  const out: CalendarWarning[] = [];
  for (const [field, at] of Object.entries(instants)) {
    if (!at) continue;
    const year = Number(localDateOf(new Date(at), cal.timeZone).slice(0, 4));
    if (!covered.has(year) && warnFor(year, now, cal.timeZone)) out.push({ code: "holidays_missing", year, field, message: message(year) });
  }
  return out;
}

// ---------------------------------------------------------------- the State Council notice

/**
 * One year's official notice (国务院办公厅关于<year>年部分节假日安排的通知) as a small file:
 * JSON `{ "year": 2027, "holidays": ["2027-01-01", …], "workdays": ["2027-02-07", …] }`, or CSV
 * with a header `date,type` and one line per date, `type` = `holiday` / `休` or `workday` / `班`
 * (调休 make-up working day). Every date must lie in `year`; a date cannot be both.
 */
export const HolidayNotice = z.strictObject({
    year: z.number().check(z.int(), z.gte(2000), z.lte(2100)),
    holidays: z.array(LocalDate).check(z.minLength(1, "A notice lists at least one holiday"), z.maxLength(60)),
    workdays: z._default(z.array(LocalDate).check(z.maxLength(30)), []),
  }).check(z.superRefine((n, ctx) => {
    for (const key of ["holidays", "workdays"] as const) {
      n[key].forEach((d, i) => {
        if (!d.startsWith(`${n.year}-`)) ctx.addIssue({ code: "custom", path: [key, i], message: `not in ${n.year}` });
      });
    }
    const off = new Set(n.holidays);
    n.workdays.forEach((d, i) => {
      if (off.has(d)) ctx.addIssue({ code: "custom", path: ["workdays", i], message: "also listed as a holiday" });
      else if (weekdayOfDate(d) < 6) ctx.addIssue({ code: "custom", path: ["workdays", i], message: "a make-up working day is a Saturday or Sunday" });
    });
  }));
export type HolidayNotice = z.infer<typeof HolidayNotice>;

const TYPES: Record<string, "holidays" | "workdays"> = { holiday: "holidays", 休: "holidays", 假: "holidays", workday: "workdays", 班: "workdays" };

/** CSV `date,type` → the JSON form (the year is the dates' year); lines it cannot read are reported by line. */
export function noticeFromCsv(text: string): unknown {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const header = lines[0]?.toLowerCase().replace(/\s/g, "");
  const rows = header === "date,type" ? lines.slice(1) : lines;
  const out = { year: Number(rows[0]?.slice(0, 4)), holidays: [] as string[], workdays: [] as string[] };
  const bad: Array<{ path: string; message: string }> = [];
  rows.forEach((row, i) => {
    const [date, type] = row.split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
    const key = TYPES[(type ?? "").toLowerCase()];
    if (!key) bad.push({ path: `line ${i + (rows === lines ? 1 : 2)}`, message: `type must be holiday/休 or workday/班, got ${JSON.stringify(type ?? "")}` });
    else out[key].push(date);
  });
  return bad.length ? { __csvErrors: bad } : out;
}

/** The calendar with `year`'s dates replaced by the notice's (other years untouched). */
export function applyNotice<C extends Pick<Calendar, "holidays" | "workdays">>(cal: C, n: HolidayNotice): C {
  const other = (ds: string[]) => ds.filter((d) => !d.startsWith(`${n.year}-`));
  return { ...cal, holidays: [...new Set([...other(cal.holidays), ...n.holidays])].sort(), workdays: [...new Set([...other(cal.workdays), ...n.workdays])].sort() };
}

/**
 * A case view with `warnings` when its current deadline (`case.dueAt`) falls in a year without
 * official holiday data; the view unchanged otherwise (the field is absent, not empty).
 */
export function withDeadlineWarnings<V extends { case: { dueAt?: string } }>(view: V, cal: Pick<Calendar, "holidays" | "timeZone">, now: Date): V & { warnings?: CalendarWarning[] } {
  const warnings = deadlineWarnings(cal, { "case.dueAt": view.case.dueAt }, now);
  return warnings.length ? { ...view, warnings } : view;
}
