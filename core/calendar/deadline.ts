/**
 * Deadline arithmetic on a county working calendar. Pure: no I/O, no wall clock.
 *
 * Working time is the union of the working periods of working days, each period turned
 * into a real interval of instants in the county zone. The walk goes day by day and
 * period by period (never minute by minute): a non-working day costs a couple of set
 * look-ups, so adding 2,000 working hours visits about 370 days.
 *
 * Conventions:
 * - Intervals are half-open [start, end): the instant a period ends is not working time.
 * - A start in non-working time begins at the next working moment.
 * - A result is the earliest instant at which the required working time has elapsed, so it
 *   may be the end of a period (Friday 16:00 + 1.5 working hours = Friday 17:30, not Monday).
 * - working_days: see addDuration.
 */
import { InvalidError } from "../errors.ts";
import type { Calendar, Duration } from "./schema.ts";
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  dateOfDayNumber,
  dayNumberOf,
  localDayNumberOf,
  localMsToUtcMs,
  offsetAtDayGrid,
  offsetMsAt,
  minutesOfTime,
  weekdayOfDayNumber,
} from "./time.ts";

/** A calendar with no working time for this many consecutive days is refused. */
const MAX_IDLE_DAYS = 3660;

interface Compiled {
  timeZone: string;
  /** [startMs, endMs] of each period, as milliseconds after local midnight. */
  periods: Array<[number, number]>;
  weekdays: Set<number>;
  holidays: Set<string>;
  workdays: Set<string>;
}

function compile(cal: Calendar): Compiled {
  if (!cal.weekdays?.length && !cal.workdays?.length) {
    throw new InvalidError("The calendar has no working days", {});
  }
  return {
    timeZone: cal.timeZone,
    periods: cal.periods.map((p) => [minutesOfTime(p.start) * MINUTE_MS, minutesOfTime(p.end) * MINUTE_MS]),
    weekdays: new Set(cal.weekdays),
    holidays: new Set(cal.holidays),
    workdays: new Set(cal.workdays),
  };
}

function isWorkingDayNumber(c: Compiled, n: number): boolean {
  const date = dateOfDayNumber(n);
  if (c.holidays.has(date)) return false;
  return c.workdays.has(date) || c.weekdays.has(weekdayOfDayNumber(n));
}

const NO_INTERVALS: readonly number[] = [];

/**
 * Working intervals of local day `n` as a flat list [s0, e0, s1, e1, …] of UTC ms, in order.
 * Empty for a non-working day. Periods squeezed to nothing by a DST gap are dropped.
 */
function intervalsOf(c: Compiled, n: number): readonly number[] {
  if (!isWorkingDayNumber(c, n)) return NO_INTERVALS;
  const base = n * DAY_MS;
  // Fast path: the same offset three days around the local day means the whole day has it.
  const o = offsetAtDayGrid(c.timeZone, n - 1);
  const uniform = o === offsetAtDayGrid(c.timeZone, n + 2);
  const out: number[] = [];
  for (const [ps, pe] of c.periods) {
    const s = uniform ? base + ps - o : localMsToUtcMs(c.timeZone, base + ps);
    const e = uniform ? base + pe - o : localMsToUtcMs(c.timeZone, base + pe);
    if (e > s) out.push(s, e);
  }
  return out;
}

function idleGuard(idle: number, fromMs: number): void {
  if (idle > MAX_IDLE_DAYS) {
    throw new InvalidError("The calendar has no working time for ten years", { from: new Date(fromMs).toISOString() });
  }
}

/** Where working time resumes at or after `t`: the instant, its local day, and the working ms of that day before it. */
function locate(c: Compiled, t: number): { at: number; day: number; offset: number } {
  let idle = 0;
  for (let n = localDayNumberOf(c.timeZone, t) - 1; ; n++) {
    const iv = intervalsOf(c, n);
    let acc = 0;
    for (let i = 0; i < iv.length; i += 2) {
      const s = iv[i], e = iv[i + 1];
      if (e <= t) {
        acc += e - s;
        continue;
      }
      const from = Math.max(s, t);
      return { at: from, day: n, offset: acc + (from - s) };
    }
    idleGuard(++idle, t);
  }
}

function addWorkingMs(c: Compiled, t: number, ms: number): number {
  let rem = ms;
  let idle = 0;
  for (let n = localDayNumberOf(c.timeZone, t) - 1; ; n++) {
    const iv = intervalsOf(c, n);
    if (iv.length === 0) {
      idleGuard(++idle, t);
      continue;
    }
    idle = 0;
    for (let i = 0; i < iv.length; i += 2) {
      const e = iv[i + 1];
      if (e <= t) continue;
      const from = Math.max(iv[i], t);
      const avail = e - from;
      if (rem <= avail) return from + rem;
      rem -= avail;
    }
  }
}

/** The `k`-th day with working time after day `n` (k = 0: `n` itself). */
function nthWorkingDayAfter(c: Compiled, n: number, k: number): number {
  let m = n;
  let idle = 0;
  while (k > 0) {
    m++;
    if (intervalsOf(c, m).length > 0) {
      k--;
      idle = 0;
    } else {
      idleGuard(++idle, m * DAY_MS);
    }
  }
  return m;
}

/** The earliest instant of day `n` (a day with working time) after `offset` working ms of it; the day's end if it is shorter. */
function atOffset(c: Compiled, n: number, offset: number): number {
  const iv = intervalsOf(c, n);
  let rem = offset;
  for (let i = 0; i < iv.length; i += 2) {
    const len = iv[i + 1] - iv[i];
    if (rem <= len) return iv[i] + rem;
    rem -= len;
  }
  return iv[iv.length - 1];
}

function addWorkingDays(c: Compiled, t: number, days: number): number {
  const start = locate(c, t);
  if (days === 0) return start.at;
  if (start.offset === 0) {
    // At the very start of a working day: the same working moment is the end of the previous
    // working day, so N days later is the end of the (N-1)-th working day after this one.
    const iv = intervalsOf(c, nthWorkingDayAfter(c, start.day, days - 1));
    return iv[iv.length - 1];
  }
  return atOffset(c, nthWorkingDayAfter(c, start.day, days), start.offset);
}

function instantMs(at: Date, what: string): number {
  const ms = at instanceof Date ? at.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new InvalidError(`Invalid ${what}`, { [what]: String(at) });
  return ms;
}

// ---------------------------------------------------------------- public API

/** True when the county-local date "YYYY-MM-DD" is a working day (make-up days count; holidays win). */
export function isWorkingDay(cal: Calendar, localDate: string): boolean {
  return isWorkingDayNumber(compile(cal), dayNumberOf(localDate));
}

/** True when `at` lies inside a working period of a working day (a period's end is not inside). */
export function isWorkingMoment(cal: Calendar, at: Date): boolean {
  const t = instantMs(at, "at");
  return nextWorkingMoment(cal, at).getTime() === t;
}

/** `at` itself when it is working time, else the start of the next working period. */
export function nextWorkingMoment(cal: Calendar, at: Date): Date {
  return new Date(locate(compile(cal), instantMs(at, "at")).at);
}

/**
 * The instant `d` after `start`.
 * - working_hours: the earliest instant by which `amount` hours of working time have elapsed,
 *   counting from `start` (or from the next working moment when `start` is not working time).
 * - calendar_hours: `start` + amount hours of elapsed time; the calendar is ignored.
 * - working_days: the same working moment `amount` working days later. A working moment is its
 *   working day plus the working time already elapsed that day; a start in non-working time is
 *   moved to the next working moment first. The start of a working day counts as the end of the
 *   previous one (received Monday 08:30, or over the weekend: +1 working day = Monday 17:30;
 *   received Monday 10:00: Tuesday 10:00). When every working day has the same working length L
 *   (always, without DST), N working days equal N×L working hours.
 * - calendar_days: the same local wall-clock time `amount` days later (in a DST gap, the first
 *   instant after it).
 * An amount of 0 gives the start (the next working moment for working units).
 */
export function addDuration(cal: Calendar, start: Date, d: Duration): Date {
  const t = instantMs(start, "start");
  const { amount, unit } = d;
  if (!(typeof amount === "number" && Number.isFinite(amount) && amount >= 0)) {
    throw new InvalidError("A duration must be a finite amount ≥ 0", { amount });
  }
  switch (unit) {
    case "calendar_hours":
      return new Date(t + Math.round(amount * HOUR_MS));
    case "working_hours":
      return new Date(addWorkingMs(compile(cal), t, Math.round(amount * HOUR_MS)));
    case "working_days":
    case "calendar_days": {
      if (!Number.isInteger(amount)) throw new InvalidError("A number of days must be a whole number", { amount });
      if (unit === "working_days") return new Date(addWorkingDays(compile(cal), t, amount));
      const local = t + offsetMsAt(cal.timeZone, t);
      return new Date(localMsToUtcMs(cal.timeZone, local + amount * DAY_MS));
    }
    default:
      throw new InvalidError(`Unknown duration unit "${String(unit)}"`, { unit });
  }
}

/**
 * Working time elapsed from `a` to `b`, in milliseconds: the length of the working periods
 * inside [a, b). Negative when `b` is before `a`. The inverse of addDuration in working hours:
 * workingMsBetween(cal, s, addDuration(cal, s, {amount: h, unit: "working_hours"})) = h hours.
 */
export function workingMsBetween(cal: Calendar, a: Date, b: Date): number {
  const ta = instantMs(a, "from");
  const tb = instantMs(b, "to");
  if (tb < ta) return -workingMsBetween(cal, b, a);
  const c = compile(cal);
  const last = localDayNumberOf(c.timeZone, tb) + 1;
  let sum = 0;
  for (let n = localDayNumberOf(c.timeZone, ta) - 1; n <= last; n++) {
    const iv = intervalsOf(c, n);
    for (let i = 0; i < iv.length; i += 2) {
      const overlap = Math.min(iv[i + 1], tb) - Math.max(iv[i], ta);
      if (overlap > 0) sum += overlap;
    }
  }
  return sum;
}

/** The working periods of a county-local date as instants (empty on a day off). */
export function workingPeriodsOn(cal: Calendar, localDate: string): Array<{ start: Date; end: Date }> {
  const iv = intervalsOf(compile(cal), dayNumberOf(localDate));
  const out: Array<{ start: Date; end: Date }> = [];
  for (let i = 0; i < iv.length; i += 2) out.push({ start: new Date(iv[i]), end: new Date(iv[i + 1]) });
  return out;
}
