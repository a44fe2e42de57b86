/**
 * The working calendar as the console edits it (`GET/PUT /v1/calendar`), and the year grid.
 * Dates are county-local `YYYY-MM-DD` strings; weekdays are ISO (1 = Monday … 7 = Sunday).
 * All date arithmetic is in UTC so the browser's own time zone never shifts a day.
 */

export interface WorkPeriod {
  start: string;
  end: string;
}

export interface WorkingCalendar {
  timeZone: string;
  periods: WorkPeriod[];
  weekdays: number[];
  holidays: string[];
  workdays: string[];
  version?: number;
}

export type DayKind = "workday" | "rest" | "holiday" | "makeup";

const pad = (n: number) => String(n).padStart(2, "0");

export const isoDate = (year: number, month: number, day: number): string => `${year}-${pad(month)}-${pad(day)}`;

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return js === 0 ? 7 : js;
}

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** What a date is under the calendar: a listed holiday or make-up day wins over the weekday rule. */
export function dayKind(cal: Pick<WorkingCalendar, "weekdays" | "holidays" | "workdays">, date: string): DayKind {
  if (cal.holidays.includes(date)) return "holiday";
  if (cal.workdays.includes(date)) return "makeup";
  return cal.weekdays.includes(isoWeekday(date)) ? "workday" : "rest";
}

const sorted = (dates: string[]) => [...new Set(dates)].sort();

/**
 * Click on a day: a listed day goes back to its weekday rule; otherwise a regular working day
 * becomes a holiday and a regular rest day a make-up working day. A date is never in both lists.
 */
export function toggleDay(cal: WorkingCalendar, date: string): WorkingCalendar {
  const holidays = cal.holidays.filter((d) => d !== date);
  const workdays = cal.workdays.filter((d) => d !== date);
  const listed = holidays.length !== cal.holidays.length || workdays.length !== cal.workdays.length;
  if (!listed) {
    if (cal.weekdays.includes(isoWeekday(date))) holidays.push(date);
    else workdays.push(date);
  }
  return { ...cal, holidays: sorted(holidays), workdays: sorted(workdays) };
}

/** A month as weeks of 7 cells (Monday first); cells outside the month are null. */
export function monthGrid(year: number, month: number): (string | null)[][] {
  const cells: (string | null)[] = [];
  const first = isoWeekday(isoDate(year, month, 1));
  for (let i = 1; i < first; i++) cells.push(null);
  for (let d = 1; d <= daysInMonth(year, month); d++) cells.push(isoDate(year, month, d));
  while (cells.length % 7) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

export const countInYear = (dates: string[], year: number): number => dates.filter((d) => d.startsWith(`${year}-`)).length;

/** The body to PUT: the editable fields and the version read. */
export function calendarBody(cal: WorkingCalendar): WorkingCalendar {
  const body: WorkingCalendar = {
    timeZone: cal.timeZone,
    periods: cal.periods.map((p) => ({ start: p.start, end: p.end })),
    weekdays: [...cal.weekdays].sort((a, b) => a - b),
    holidays: sorted(cal.holidays),
    workdays: sorted(cal.workdays),
  };
  if (cal.version !== undefined) body.version = cal.version;
  return body;
}

/** Is the draft different from what was loaded? */
export const changed = (a: WorkingCalendar | undefined, b: WorkingCalendar | undefined): boolean =>
  !!a && !!b && JSON.stringify(calendarBody(a)) !== JSON.stringify(calendarBody(b));

/** Fill what an older or partial answer may lack. */
export function normalize(raw: Partial<WorkingCalendar> | undefined): WorkingCalendar {
  return {
    timeZone: raw?.timeZone ?? "Asia/Shanghai",
    periods: Array.isArray(raw?.periods) ? raw.periods : [],
    weekdays: Array.isArray(raw?.weekdays) ? raw.weekdays : [1, 2, 3, 4, 5],
    holidays: Array.isArray(raw?.holidays) ? raw.holidays : [],
    workdays: Array.isArray(raw?.workdays) ? raw.workdays : [],
    version: raw?.version,
  };
}
