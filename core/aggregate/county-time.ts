/**
 * The county's month and day of an instant (Asia/Shanghai unless configured), apart from the
 * counters of core/aggregate/apply.ts (which re-exports them): a module that only dates things by
 * the county's calendar (the registry's age and quota checks) does not load the case machine and the
 * counter rules with them (issue #15, docs/deploy.md "Cold path").
 */

/** County month of an instant, e.g. "2026-11" (Asia/Shanghai unless configured). */
export function countyMonth(at: string | Date, timeZone = process.env.COUNTY_TZ ?? "Asia/Shanghai"): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(new Date(at));
  return `${parts.find((p) => p.type === "year")!.value}-${parts.find((p) => p.type === "month")!.value}`;
}

/** County day of an instant, e.g. "2026-11-05". */
export function countyDay(at: string | Date, timeZone = process.env.COUNTY_TZ ?? "Asia/Shanghai"): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(at));
}
