import * as keys from "../db/keys.ts";
import type { Refresher } from "./repo.ts";

/**
 * The staff version (`CONFIG / VERSION#staff` → `{n, at}`, #16): bumped in the transaction of every
 * write that changes role rows (core/user/repo.ts createUser and replaceUserWithRows,
 * core/user/repo-handover.ts moveAssignments) and after the unit move job's staff phase. A producer
 * of domain events keeps a copy, read with the configuration its case read brings along anyway
 * (core/case/config.ts CASE_CONFIG: no request of its own), and the publisher stamps it on each
 * message (core/outbox/publish.ts): the events consumer may then answer "who is on this unit" from
 * role rows it read at that version or later (core/notify/inbox.ts), without a Query per batch.
 */
export const STAFF_RECHECK_MS = 5_000;

let known: { n: number; at?: string; readAt: number } | undefined;

const due = (_now: Date, early = false): boolean => !known || Date.now() - known.readAt >= (early ? STAFF_RECHECK_MS / 2 : STAFF_RECHECK_MS) || Date.now() < known.readAt;

export const staffVersionRefresher: Refresher = {
  name: "staff",
  key: keys.configVersion("staff"),
  due,
  apply(raw) {
    known = { n: (raw?.n as number | undefined) ?? 0, at: raw?.at as string | undefined, readAt: Date.now() };
  },
};

/**
 * The copy to stamp on a message: only one proven within the recheck period (the bound the
 * categories' and departments' copies have), else none (the consumer then reads the rows fresh).
 */
export function staffVersionStamp(): { n: number; at: string } | undefined {
  if (!known || due(new Date())) return undefined;
  return { n: known.n, at: known.at ?? new Date(0).toISOString() };
}

/** Forget the copy (a staff write in this container: its next events carry the new version; tests). */
export function forgetStaffVersion(): void {
  known = undefined;
}
