/**
 * County-local time without a timezone library: Intl.DateTimeFormat tells us the
 * wall-clock parts of an instant in any IANA zone; everything else is arithmetic on
 * "local milliseconds" (the wall clock read as if it were UTC).
 *
 * Day numbers: a local date "YYYY-MM-DD" is numbered as days since 1970-01-01.
 */
import { InvalidError } from "../errors.ts";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

// ---------------------------------------------------------------- fixed zones

/**
 * Zones whose offset has not changed since `since` (UTC ms) in the IANA data: at and after
 * `since`, their offset is `offsetMs` by arithmetic, without Intl. Creating the first
 * Intl.DateTimeFormat of a process loads ICU's calendar, locale and zone data: 20–40 ms of a cold
 * Lambda's first request on a quiet machine, about as long as the whole floor's GetItem (issue #15,
 * docs/deploy.md "Cold path"). The county zone is Asia/Shanghai unless configured; any other zone,
 * and any instant before `since`, still asks Intl. `time.test.ts` checks every entry against Intl
 * (the runtime's own zone data) from `since` to 2100 (every 169 hours: each hour of the day, each
 * weekday), and, for the China zones, that a second before `since` Intl gives another offset.
 */
export const FIXED_ZONES: Readonly<Record<string, { since: number; offsetMs: number }>> = {
  // China's last daylight saving time ended on 1991-09-15 (02:00 CDT = 1991-09-14T17:00Z); UTC+8 ever since
  "Asia/Shanghai": { since: Date.UTC(1991, 8, 14, 17), offsetMs: 8 * 3_600_000 },
  // Xinjiang time: UTC+6 since local mean time ended (1928-01-01 00:00 local = 1927-12-31T18:09:40Z) in the IANA data
  "Asia/Urumqi": { since: Date.UTC(1927, 11, 31, 18, 9, 40), offsetMs: 6 * 3_600_000 },
  "Etc/GMT-8": { since: -8.64e15, offsetMs: 8 * 3_600_000 },
  UTC: { since: -8.64e15, offsetMs: 0 },
};

/** The fixed offset of `timeZone` at instant `ms`, or undefined when Intl must tell. */
function fixedOffsetMs(timeZone: string, ms: number): number | undefined {
  const f = Object.hasOwn(FIXED_ZONES, timeZone) ? FIXED_ZONES[timeZone] : undefined;
  return f && ms >= f.since ? f.offsetMs : undefined;
}

// ---------------------------------------------------------------- formatters

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per zone; throws RangeError for an unknown zone. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "gregory",
      numberingSystem: "latn",
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a zone name Intl knows (IANA names such as "Asia/Shanghai", "Etc/GMT-8", "UTC"). Raw offsets ("+08:00") are refused. */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== "string" || timeZone.length === 0 || /^[+-]/.test(timeZone)) return false;
  if (Object.hasOwn(FIXED_ZONES, timeZone)) return true;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  try {
    return formatter(timeZone);
  } catch {
    throw new InvalidError(`Unknown time zone "${timeZone}"`, { timeZone });
  }
}

/** Date.UTC that also handles years 0..99 (which Date.UTC maps to 1900..1999). */
function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (y >= 0 && y < 100) {
    const dt = new Date(ms);
    dt.setUTCFullYear(y);
    return dt.getTime();
  }
  return ms;
}

// ---------------------------------------------------------------- offsets

/** Offset of the zone at instant `ms` (local wall clock minus UTC), in milliseconds. */
export function offsetMsAt(timeZone: string, ms: number): number {
  const fixed = fixedOffsetMs(timeZone, ms);
  if (fixed !== undefined) return fixed;
  return intlOffsetMs(zoneFormatter(timeZone), ms);
}

/** The offset as Intl reads it (the wall clock of `f` at `ms`, whole seconds, minus `ms`). */
function intlOffsetMs(f: Intl.DateTimeFormat, ms: number): number {
  const sec = Math.floor(ms / 1000) * 1000;
  let y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0;
  for (const p of f.formatToParts(new Date(sec))) {
    switch (p.type) {
      case "year": y = Number(p.value); break;
      case "month": mo = Number(p.value); break;
      case "day": d = Number(p.value); break;
      case "hour": h = Number(p.value); break;
      case "minute": mi = Number(p.value); break;
      case "second": s = Number(p.value); break;
    }
  }
  return utcMs(y, mo, d, h, mi, s) - sec;
}

const gridOffsets = new Map<string, Map<number, number>>();
const GRID_CACHE_LIMIT = 50_000;

/**
 * Offset of the zone at the instant k·DAY_MS (UTC midnight of day k), memoised per zone.
 * Used to detect, cheaply, that a whole local day has a single offset.
 */
export function offsetAtDayGrid(timeZone: string, k: number): number {
  let byDay = gridOffsets.get(timeZone);
  if (!byDay) {
    byDay = new Map();
    gridOffsets.set(timeZone, byDay);
  }
  let off = byDay.get(k);
  if (off === undefined) {
    if (byDay.size >= GRID_CACHE_LIMIT) byDay.clear();
    off = offsetMsAt(timeZone, k * DAY_MS);
    byDay.set(k, off);
  }
  return off;
}

/**
 * The instant (UTC ms) at which the wall clock of `timeZone` reads `localMs`.
 * - Ambiguous wall time (clocks turned back): the earlier instant.
 * - Nonexistent wall time (clocks turned forward, a "gap"): the transition instant, i.e. the
 *   first instant after the gap. This keeps the mapping monotonic in `localMs`.
 * Assumes at most one offset transition within ±1 day of `localMs` (true of every real zone).
 */
export function localMsToUtcMs(timeZone: string, localMs: number): number {
  const oA = offsetMsAt(timeZone, localMs - DAY_MS);
  const oB = offsetMsAt(timeZone, localMs + DAY_MS);
  if (oA === oB) return localMs - oA;
  const tA = localMs - oA;
  const tB = localMs - oB;
  const validA = offsetMsAt(timeZone, tA) === oA;
  const validB = offsetMsAt(timeZone, tB) === oB;
  if (validA && validB) return Math.min(tA, tB);
  if (validA) return tA;
  if (validB) return tB;
  // Gap: find the transition instant (offsets change on whole seconds) by bisection.
  let lo = Math.floor(Math.min(tA, tB) / 1000);
  let hi = Math.ceil(Math.max(tA, tB) / 1000);
  const after = offsetMsAt(timeZone, hi * 1000);
  if (offsetMsAt(timeZone, lo * 1000) === after) return Math.max(tA, tB);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMsAt(timeZone, mid * 1000) === after) hi = mid;
    else lo = mid;
  }
  return hi * 1000;
}

// ---------------------------------------------------------------- local dates

/** True when `date` is a real calendar date written "YYYY-MM-DD". */
export function isLocalDate(date: string): boolean {
  const m = DATE_RE.exec(date);
  if (!m) return false;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const dt = new Date(utcMs(y, mo, d));
  return dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Days since 1970-01-01 of a local date "YYYY-MM-DD". */
export function dayNumberOf(date: string): number {
  if (!isLocalDate(date)) throw new InvalidError(`Invalid date "${date}", expected YYYY-MM-DD`, { date });
  const m = DATE_RE.exec(date)!;
  return Math.round(utcMs(Number(m[1]), Number(m[2]), Number(m[3])) / DAY_MS);
}

/** The local date "YYYY-MM-DD" of a day number. */
export function dateOfDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday. */
export function weekdayOfDayNumber(n: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

/** ISO weekday of a local date "YYYY-MM-DD": 1 = Monday … 7 = Sunday. */
export function weekdayOfDate(date: string): number {
  return weekdayOfDayNumber(dayNumberOf(date));
}

/** The local date `days` days after `date` (negative goes back). */
export function addDaysToDate(date: string, days: number): string {
  return dateOfDayNumber(dayNumberOf(date) + days);
}

/** Minutes after midnight of "HH:MM" (00:00 … 23:59, and "24:00" = 1440 for the end of a day). */
export function minutesOfTime(time: string): number {
  const m = TIME_RE.exec(time);
  const h = m ? Number(m[1]) : NaN;
  const mi = m ? Number(m[2]) : NaN;
  if (!m || mi > 59 || h > 24 || (h === 24 && mi !== 0)) {
    throw new InvalidError(`Invalid time "${time}", expected HH:MM`, { time });
  }
  return h * 60 + mi;
}

// ---------------------------------------------------------------- instants <-> local

export interface LocalParts {
  /** Local date "YYYY-MM-DD". */
  date: string;
  /** Local wall time "HH:MM" (seconds dropped). */
  time: string;
  /** Whole minutes since local midnight, 0 … 1439. */
  minuteOfDay: number;
  /** Milliseconds since local midnight (keeps seconds and milliseconds). */
  msOfDay: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Zone offset at that instant, in minutes east of UTC (Asia/Shanghai: 480). */
  offsetMinutes: number;
}

function instantMs(at: Date): number {
  const ms = at instanceof Date ? at.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new InvalidError("Invalid instant", { at: String(at) });
  return ms;
}

/**
 * The county-local date "YYYY-MM-DD" of an instant (a Date, an ISO string or epoch ms), as
 * `new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(at))`
 * gives it (years 1000–9999), including its RangeError for an unknown zone or an invalid instant,
 * but without a new formatter per call and without Intl at all for a fixed zone (FIXED_ZONES).
 * `.slice(0, 7)` is the county month, `.slice(0, 4)` the year.
 */
export function zonedDate(at: string | number | Date, timeZone: string): string {
  return dateOfDayNumber(Math.floor(zonedLocalMs(at, timeZone) / DAY_MS));
}

/** Whole seconds since the county-local midnight of an instant (the wall clock's h·3600 + m·60 + s), with zonedDate's errors. */
export function zonedSecondOfDay(at: string | number | Date, timeZone: string): number {
  const local = zonedLocalMs(at, timeZone);
  return Math.floor((local - Math.floor(local / DAY_MS) * DAY_MS) / 1000);
}

/** The wall clock of `timeZone` at `at` in local milliseconds; RangeError like Intl's (zone checked first, then the instant). */
function zonedLocalMs(at: string | number | Date, timeZone: string): number {
  const f = Object.hasOwn(FIXED_ZONES, timeZone) ? undefined : formatter(timeZone);
  const ms = new Date(at).getTime();
  if (!Number.isFinite(ms)) throw new RangeError("Invalid time value");
  return ms + (fixedOffsetMs(timeZone, ms) ?? intlOffsetMs(f ?? formatter(timeZone), ms));
}

/** Local day number of the instant `ms` in `timeZone`. */
export function localDayNumberOf(timeZone: string, ms: number): number {
  return Math.floor((ms + offsetMsAt(timeZone, ms)) / DAY_MS);
}

/** County-local date, time of day and weekday of an instant. */
export function toLocalParts(at: Date, timeZone: string): LocalParts {
  const ms = instantMs(at);
  const off = offsetMsAt(timeZone, ms);
  const local = ms + off;
  const n = Math.floor(local / DAY_MS);
  const msOfDay = local - n * DAY_MS;
  const minuteOfDay = Math.floor(msOfDay / MINUTE_MS);
  const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, "0");
  const mm = String(minuteOfDay % 60).padStart(2, "0");
  return {
    date: dateOfDayNumber(n),
    time: `${hh}:${mm}`,
    minuteOfDay,
    msOfDay,
    weekday: weekdayOfDayNumber(n),
    offsetMinutes: off / MINUTE_MS,
  };
}

/** County-local date "YYYY-MM-DD" of an instant. */
export function localDateOf(at: Date, timeZone: string): string {
  return toLocalParts(at, timeZone).date;
}

/**
 * The instant at which the wall clock in `timeZone` reads `date` `time` ("YYYY-MM-DD", "HH:MM";
 * "24:00" means the next day's 00:00). Ambiguous times take the earlier instant; nonexistent
 * times (DST gap) take the first instant after the gap.
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): Date {
  const localMs = dayNumberOf(date) * DAY_MS + minutesOfTime(time) * MINUTE_MS;
  if (!Object.hasOwn(FIXED_ZONES, timeZone)) zoneFormatter(timeZone);
  return new Date(localMsToUtcMs(timeZone, localMs));
}
