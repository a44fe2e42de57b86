import { tableName } from "../db/client.ts";
import type { DomainEvent } from "../case/repo.ts";
import { countersFor, type Increments } from "./counters.ts";
import { OPEN_STATES } from "../case/states.ts";
import { getSettings } from "../settings/settings.ts";
import { pathShift } from "../unit/path-shift.ts";
import { zonedDate } from "../calendar/time.ts";

import { aggregateKey, writeCountersOnce, type CounterWrite, type ProcessedMark } from "./repo.ts";
import { outboxRowKey } from "../outbox/repo.ts";
import { DAILY, OPEN_DELTA, dayAttribute } from "./month-item.ts";
import { earlyMarkerRead, openRouting } from "./fold.ts";
import { clock } from "../clock.ts";

export { aggregateKey };

/** County month of an instant, e.g. "2026-11" (Asia/Shanghai unless configured). */
export function countyMonth(at: string | Date, timeZone = process.env.COUNTY_TZ ?? "Asia/Shanghai"): string {
  return zonedDate(at, timeZone).slice(0, 7);
}

/** County day of an instant, e.g. "2026-11-05". */
export function countyDay(at: string | Date, timeZone = process.env.COUNTY_TZ ?? "Asia/Shanghai"): string {
  return zonedDate(at, timeZone);
}

/** The partition of the live (not monthly) counters: `open` = cases open now, per unit subtree. */
export const LIVE = "live";

/**
 * The live `open` count moved with an open case whose unit path changed (a unit move): -1 on the
 * units it left, +1 on the units it joined, nothing on the shared ancestors. Update items for the
 * caller's transaction (core/unit/move-job.ts), beside the case's own conditional update.
 */
export function liveOpenShift(from: string, to: string) {
  return [...pathShift(from, to)].map(([unitId, delta]) => ({
    TableName: tableName(),
    Key: aggregateKey(LIVE, `unit#${unitId}`),
    UpdateExpression: "ADD #open :d SET #et = :et, #subject = :subject, #month = :month",
    ExpressionAttributeNames: { "#open": "open", "#et": "_et", "#subject": "subject", "#month": "month" },
    ExpressionAttributeValues: { ":d": delta, ":et": "Aggregate", ":subject": `unit#${unitId}`, ":month": LIVE },
  }));
}

/**
 * The live `open` count an event moves (+1 when a decision opens the case, -1 when it leaves the
 * open states; counted on the decision's first event), per unit of its path.
 */
export function liveOf(e: DomainEvent): Increments {
  const live: Increments = new Map();
  if (e.seq === 0) {
    const open = (s: string | null) => (s !== null && (OPEN_STATES as readonly string[]).includes(s) ? 1 : 0);
    const delta = open(e.to) - open(e.from);
    if (delta !== 0) for (const id of e.unitPath.split("/").filter(Boolean)) live.set(`unit#${id}`, new Map([["open", delta]]));
  }
  return live;
}

/**
 * What one event adds: its monthly counter writes (county month of `timeZone`), a unit's counters of
 * the county day riding on its month write as `dDD_<counter>` attributes (core/aggregate/month-item.ts;
 * no `AGG#<day>` item since #16), and its open-count change: `openDelta ±1` on its units' month
 * writes (core/aggregate/fold.ts; no `AGG#live` write), or, for a late event of a month already
 * folded (`openTo = "base"`), `ADD open ±1` on the units' `AGG#live` items as before.
 */
export function counterWritesOf(e: DomainEvent, timeZone: string, openTo: "month" | "base" = "month"): CounterWrite[] {
  const inc = countersFor(e);
  const month = countyMonth(e.at, timeZone);
  const day = countyDay(e.at, timeZone);
  const live = liveOf(e);
  const writes: CounterWrite[] = [];
  for (const [subject, counters] of inc) {
    const all = new Map(counters);
    if (subject.startsWith("unit#")) for (const [name, by] of counters) if (DAILY.includes(name)) all.set(dayAttribute(day, name), by);
    const open = live.get(subject)?.get("open");
    if (openTo === "month" && open) all.set(OPEN_DELTA, open);
    writes.push({ period: month, subject, counters: all });
  }
  for (const [subject, counters] of live) {
    if (openTo === "base") writes.push({ period: LIVE, subject, counters });
    else if (!inc.has(subject)) writes.push({ period: month, subject, counters: new Map([[OPEN_DELTA, counters.get("open")!]]) });
  }
  return writes;
}

/**
 * True when an event counts nowhere: `counterWritesOf` gives it no write in any time zone, so it has
 * no part in the counters' transaction (`applyEvents` answers "nothing"). The events consumer deletes
 * such an event's outbox row without waiting for the transaction.
 */
export const countsNowhere = (e: DomainEvent): boolean => countersFor(e).size === 0 && liveOf(e).size === 0;

/** Increments of many events on one item each: the same aggregate's counters added up (zeros dropped). */
export function mergeCounterWrites(writes: CounterWrite[]): CounterWrite[] {
  const merged = new Map<string, CounterWrite>();
  for (const w of writes) {
    const k = `${w.period}\u0000${w.subject}`;
    const m = merged.get(k) ?? { period: w.period, subject: w.subject, counters: new Map<string, number>() };
    for (const [name, by] of w.counters) m.counters.set(name, (m.counters.get(name) ?? 0) + by);
    merged.set(k, m);
  }
  return [...merged.values()]
    .map((w) => ({ ...w, counters: new Map([...w.counters].filter(([, by]) => by !== 0)) }))
    .filter((w) => w.counters.size > 0); // +1 and -1 of one batch on the live count: nothing to write
}

/** Items a transaction may hold. */
const TX_ITEMS = 100;

/**
 * Events decided before this instant are marked processed by a `DONE#agg#<id>` item, as before #16
 * (their outbox rows may have been deleted by the consumer of that time after its mark: a delete
 * of the row could not tell "counted" from "not yet"); later events by the conditional delete of
 * their outbox row in the counters' transaction. A deploy of this change sets it to a time after
 * the new events consumer is live everywhere (the old one deletes rows outside its transaction).
 * It is one date for every county, and a county upgrading later has events after it that the old
 * consumer counted with a DONE mark and left a row for: those come back only as messages seen before
 * (a redelivery, a copy the sweep or the redrive sent again), whose row mark also checks the DONE
 * mark (`applyEvents`' `seenBefore`, core/aggregate/seen.ts; docs/async.md "Exactly-once effects").
 */
export const OUTBOX_MARK_CUTOVER = "2026-12-05T12:00:00.000Z";

/** True when the counters' transaction deletes the event's outbox row as its processed mark. */
export const marksByOutboxRow = (e: { at: string }) => e.at >= OUTBOX_MARK_CUTOVER;

/**
 * Add events to the counters, exactly once each (#16: one transaction for a queue batch, not one
 * per event): a "processed" mark per event — the conditional delete of its outbox row, or a
 * `DONE#agg#` item for an event before OUTBOX_MARK_CUTOVER — and the batch's increments added up
 * per aggregate item, in as few transactions as fit in 100 items. A redelivered event fails its
 * mark's condition: the transaction changes nothing, the duplicates are dropped and the rest written
 * again. `seenBefore`: ids of events whose message may have been handled before (a redelivery, a
 * copy the outbox sweep or the redrive route sent again: core/aggregate/seen.ts); a row mark of such
 * an event also checks that no `DONE#agg#<id>` is there (the consumer before #16 counted with it and
 * deleted the row after): found, the event is a duplicate and its row is still there, for the caller
 * to delete. Returns per event id "applied", "duplicate" or "nothing" (an event that counts nowhere:
 * its outbox row is the caller's to delete, as a legacy event's is).
 */
export async function applyEvents(events: DomainEvent[], seenBefore: ReadonlySet<string> = new Set()): Promise<Map<string, "applied" | "duplicate" | "nothing">> {
  const result = new Map<string, "applied" | "duplicate" | "nothing">();
  if (!events.length) return result;
  const live = events.filter((e) => liveOf(e).size);
  // a cold container's read of the fold marker goes beside the settings' read, not after it (core/aggregate/fold.ts earlyMarkerRead)
  const markerRead = live.length ? earlyMarkerRead() : undefined;
  // the county's month and day from its settings, as the appraisal reads them (core/appraisal/period.ts)
  const { timeZone } = await getSettings();
  const byId = new Map<string, CounterWrite[]>();
  const marks = new Map<string, ProcessedMark>();
  // an event of an earlier month: its open change goes to the base when its month is folded (core/aggregate/fold.ts)
  const routing = await openRouting(live.map((e) => countyMonth(e.at, timeZone)), clock.now(), timeZone, markerRead);
  for (const e of events) {
    if (!marks.has(e.id)) marks.set(e.id, marksByOutboxRow(e) ? { id: e.id, row: outboxRowKey(e), ...(seenBefore.has(e.id) ? { checkDone: true } : {}) } : { id: e.id });
    if (byId.has(e.id)) continue; // the same event twice in a batch counts once
    const writes = counterWritesOf(e, timeZone, routing.toBase.has(countyMonth(e.at, timeZone)) ? "base" : "month");
    if (writes.length) byId.set(e.id, writes);
    else result.set(e.id, "nothing");
  }
  // groups of events whose marks (a DONE check beside a row mark: 2 items) and merged writes fit one transaction
  const markItems = (ids: string[]) => ids.reduce((n, x) => n + (marks.get(x)!.checkDone ? 2 : 1), 0);
  const groups: string[][] = [];
  let group: string[] = [];
  for (const id of byId.keys()) {
    const next = [...group, id];
    if (group.length && markItems(next) + mergeCounterWrites(next.flatMap((x) => byId.get(x)!)).length + (routing.check ? 1 : 0) > TX_ITEMS) {
      groups.push(group);
      group = [id];
    } else group = next;
  }
  if (group.length) groups.push(group);
  const expiresAt = Math.floor(Date.now() / 1000) + 30 * 86400;
  for (let ids of groups) {
    while (ids.length) {
      const out = await writeCountersOnce(ids.map((x) => marks.get(x)!), mergeCounterWrites(ids.flatMap((x) => byId.get(x)!)), expiresAt, routing.check);
      if (out === "applied") {
        for (const id of ids) result.set(id, "applied");
        break;
      }
      for (const id of out.duplicates) result.set(id, "duplicate");
      const dropped = new Set(out.duplicates);
      // the fold marker moved since it was read (a late event met the monthly fold): the batch comes back and routes again
      if (!dropped.size) throw new Error(routing.check ? "aggregate transaction refused: the open-count fold moved meanwhile" : "aggregate transaction refused without a duplicate mark");
      ids = ids.filter((id) => !dropped.has(id));
    }
  }
  return result;
}

/** Add one event to the counters, exactly once (`applyEvents` of one). */
export async function applyEvent(e: DomainEvent): Promise<"applied" | "duplicate" | "nothing"> {
  return (await applyEvents([e])).get(e.id)!;
}
