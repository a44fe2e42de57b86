/**
 * The county's month and day of an instant (Asia/Shanghai unless configured), apart from the
 * counters of core/aggregate/apply.ts (which re-exports them): a module that only dates things by
 * the county's calendar (the registry's age and quota checks) does not load the case machine and the
 * counter rules with them (issue #15, docs/deploy.md "Cold path").
 */

import { zonedDate } from "../calendar/time.ts";

/** County month of an instant, e.g. "2026-11" (Asia/Shanghai unless configured; no Intl formatter for a fixed zone: core/calendar/time.ts zonedDate). */
export function countyMonth(at: string | Date, timeZone = process.env.COUNTY_TZ ?? "Asia/Shanghai"): string {
  return zonedDate(at, timeZone).slice(0, 7);
}

/** County day of an instant, e.g. "2026-11-05". */
export function countyDay(at: string | Date, timeZone = process.env.COUNTY_TZ ?? "Asia/Shanghai"): string {
  return zonedDate(at, timeZone);
}
