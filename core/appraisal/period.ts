/** County months ("periods"): arithmetic and the month a monthly run appraises. Pure. */
import { zonedDate } from "../calendar/time.ts";

/** The county month of an instant, e.g. "2026-03". */
export function periodOf(at: Date | string, timeZone: string): string {
  return zonedDate(at, timeZone).slice(0, 7);
}

export function shiftPeriod(period: string, months: number): string {
  const [y, m] = period.split("-").map(Number);
  const i = y * 12 + (m - 1) + months;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
}

export const previousPeriod = (period: string): string => shiftPeriod(period, -1);

/** "2026-Q1" for January to March. */
export function quarterOf(period: string): string {
  const [y, m] = period.split("-").map(Number);
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}

/**
 * The month the scheduled run appraises: the county month before `now`. The schedule fires at
 * 00:05 county time on the 1st (16:05 UTC on the last day of the month before, for UTC+8).
 */
export function periodToAppraise(now: Date, timeZone: string): string {
  return previousPeriod(periodOf(now, timeZone));
}

/** A period after the current county month cannot be appraised yet. */
export function isFuture(period: string, now: Date, timeZone: string): boolean {
  return period > periodOf(now, timeZone);
}
