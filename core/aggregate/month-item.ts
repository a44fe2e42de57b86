/**
 * What a unit's month aggregate (`AGG#<YYYY-MM>` / `unit#<id>`) holds besides its monthly counters
 * (issue #16, docs/data-model.md "Monthly aggregate"), and the readers that tell them apart:
 *
 * - the county day's counters as `d<DD>_<counter>` attributes (`d05_reports`): the month item's write
 *   carries them, instead of a second item `AGG#<YYYY-MM-DD>` per unit and event (−30 WRU a case).
 *   A write that adds day DD removes the day attributes of the days before DD (a late event of an
 *   earlier day removes only days before its own), so today's attributes are exact while it is today;
 *   a stale day may stay behind (never read: only today is);
 * - `openDelta`: the open-count change of the month (core/aggregate/fold.ts folds it into `AGG#live`).
 *
 * No imports: the dashboard, the appraisal and the load test read through it without the counter rules.
 */

/** Counters also kept per county day, for units only (the big screen's "today"). */
export const DAILY: readonly string[] = ["reports", "closed", "closedOnTime", "closedLate", "handled", "handledOnTime"];

/** The attribute of `counter` on county day `day` ("2026-12-05") in its month's item: `d05_reports`. */
export const dayAttribute = (day: string, counter: string) => `d${day.slice(8, 10)}_${counter}`;

const DAY_ATTRIBUTE = /^d(\d\d)_(.+)$/;

/** The open-count change of the month on a unit's month item. */
export const OPEN_DELTA = "openDelta";

/** Attributes of an aggregate item that are not counters. */
const NOT_COUNTERS = new Set(["pk", "sk", "_et", "_sv", "subject", "month", "expiresAt", OPEN_DELTA]);

/** The month's counters of an aggregate item: its numeric attributes without keys, day attributes and `openDelta`. */
export function monthCounters(raw: Record<string, unknown> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw ?? {})) if (typeof v === "number" && isMonthCounter(k)) out[k] = v;
  return out;
}

/** True for an attribute name that is a monthly counter (not a key, a day attribute or `openDelta`). */
export const isMonthCounter = (name: string) => !NOT_COUNTERS.has(name) && !DAY_ATTRIBUTE.test(name);

/** The counters of county day `day` ("2026-12-05") from that month's item: `d05_reports` → `reports`. */
export function dayCounters(raw: Record<string, unknown> | undefined, day: string): Record<string, number> {
  const out: Record<string, number> = {};
  const dd = day.slice(8, 10);
  for (const [k, v] of Object.entries(raw ?? {})) {
    const m = DAY_ATTRIBUTE.exec(k);
    if (m && m[1] === dd && typeof v === "number") out[m[2]] = v;
  }
  return out;
}

/**
 * The day attributes a write that adds `added` removes: every DAILY counter of the days before the
 * latest day it adds, except the names it adds itself (a path may not be both added and removed).
 * Empty when it adds no day attribute.
 */
export function staleDayAttributes(added: Iterable<string>): string[] {
  const names = new Set(added);
  let latest = 0;
  for (const n of names) {
    const m = DAY_ATTRIBUTE.exec(n);
    if (m) latest = Math.max(latest, Number(m[1]));
  }
  const out: string[] = [];
  for (let d = 1; d < latest; d++) {
    for (const c of DAILY) {
      const n = `d${String(d).padStart(2, "0")}_${c}`;
      if (!names.has(n)) out.push(n);
    }
  }
  return out;
}
