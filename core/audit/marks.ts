import { putAuditMonthMark } from "./repo-marks.ts";

/**
 * Audit-month markers (#15; docs/data-model.md "Audit", docs/security.md "Retention"). Every audit
 * row built by `auditPut` notes its month (the month of the row, `AUDIT#<YYYY-MM>`): the first time a
 * container sees a month it puts the marker `AUDITMONTHS / AUDITMONTH#<month>` (`attribute_not_exists`),
 * outside the change's transaction and without waiting for it (best effort: a failed put is tried
 * again by the next row of that month; a change is never slowed down or refused by its marker). The
 * daily audit retention then reads the markers with one Query and empties only the marked months
 * past the cut-off, instead of probing 120 months; its weekly full probe finds a month whose marker
 * was lost (core/audit/retention.ts).
 *
 * Once per container and month: a month is remembered after its put succeeded, but only while it
 * is the newest month this container has written. A row of an older month (a clock set back, a
 * back-dated entry: the only way to write into a month the retention may already have emptied and
 * unmarked) puts its marker every time.
 */
const marked = new Set<string>();
const pending = new Set<Promise<void>>();
let newest = "";

export function noteAuditMonth(month: string): void {
  if (!process.env.WANGGE_TABLE) return; // no table configured: the row itself cannot be written either
  if (month > newest) newest = month;
  const remember = month === newest;
  if (remember && marked.has(month)) return;
  if (remember) marked.add(month); // in flight: later rows of the month do not put it again…
  const p: Promise<void> = putAuditMonthMark(month)
    .catch(() => {
      marked.delete(month); // …unless it failed: the next row tries again
    })
    .finally(() => pending.delete(p));
  pending.add(p);
}

/** Wait for this container's marker puts in flight (the retention job, before it reads the markers). */
export async function auditMarksSettled(): Promise<void> {
  while (pending.size) await Promise.all([...pending]);
}

/** Forget a month (its marker was deleted by the retention in this container: the next row puts it again). */
export function forgetAuditMonth(month: string): void {
  marked.delete(month);
}
