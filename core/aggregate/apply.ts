import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../db/client.ts";
import { keys } from "../db/keys.ts";
import { isConditionFailure } from "../db/errors.ts";
import type { DomainEvent } from "../case/repo.ts";
import { countersFor, type Increments } from "./counters.ts";
import { OPEN_STATES } from "../case/machine.ts";
import { getSettings } from "../settings/settings.ts";
import { pathShift } from "../unit/path-shift.ts";

export const aggregateKey = (month: string, subject: string) => ({ pk: `AGG#${month}`, sk: subject });

/** County month of an instant, e.g. "2026-11" (Asia/Shanghai unless configured). */
export function countyMonth(at: string | Date, timeZone = process.env.COUNTY_TZ ?? "Asia/Shanghai"): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(new Date(at));
  return `${parts.find((p) => p.type === "year")!.value}-${parts.find((p) => p.type === "month")!.value}`;
}

/** County day of an instant, e.g. "2026-11-05". */
export function countyDay(at: string | Date, timeZone = process.env.COUNTY_TZ ?? "Asia/Shanghai"): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(at));
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

/** Counters kept per county day for units too (the big screen's "today"). */
const DAILY = new Set(["reports", "closed", "closedOnTime", "closedLate", "handled", "handledOnTime"]);

/**
 * What one event adds to the daily counters of its units and to their live `open` count (+1 when
 * a decision opens the case, -1 when it leaves the open states; counted on the decision's first event).
 */
export function dailyAndLive(e: DomainEvent, month: Increments): { daily: Increments; live: Increments } {
  const daily: Increments = new Map();
  for (const [subject, counters] of month) {
    if (!subject.startsWith("unit#")) continue;
    const kept = new Map([...counters].filter(([name]) => DAILY.has(name)));
    if (kept.size) daily.set(subject, kept);
  }
  const live: Increments = new Map();
  if (e.seq === 0) {
    const open = (s: string | null) => (s !== null && (OPEN_STATES as readonly string[]).includes(s) ? 1 : 0);
    const delta = open(e.to) - open(e.from);
    if (delta !== 0) for (const id of e.unitPath.split("/").filter(Boolean)) live.set(`unit#${id}`, new Map([["open", delta]]));
  }
  return { daily, live };
}

/**
 * Add one event to the monthly counters, exactly once: the counter updates and a "processed"
 * mark for the event id are one transaction, so a redelivered event fails the mark's condition
 * and changes nothing. Counters are plain ADDs: no read, no scan.
 */
export async function applyEvent(e: DomainEvent): Promise<"applied" | "duplicate" | "nothing"> {
  const inc = countersFor(e);
  const { daily, live } = dailyAndLive(e, inc);
  if (!inc.size && !live.size) return "nothing";
  // the county's month and day from its settings, as the appraisal reads them (core/appraisal/period.ts)
  const { timeZone } = await getSettings();
  const month = countyMonth(e.at, timeZone);
  const day = countyDay(e.at, timeZone);
  const ops: any[] = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.processed("agg", e.id), _et: "Processed", expiresAt: Math.floor(Date.now() / 1000) + 30 * 86400 },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
  ];
  const writes: [string, string, Map<string, number>][] = [
    ...[...inc].map(([subject, c]): [string, string, Map<string, number>] => [month, subject, c]),
    ...[...daily].map(([subject, c]): [string, string, Map<string, number>] => [day, subject, c]),
    ...[...live].map(([subject, c]): [string, string, Map<string, number>] => [LIVE, subject, c]),
  ];
  for (const [period, subject, counters] of writes) {
    const names: Record<string, string> = { "#et": "_et", "#subject": "subject", "#month": "month" };
    const values: Record<string, unknown> = { ":et": "Aggregate", ":subject": subject, ":month": period };
    const adds: string[] = [];
    let i = 0;
    for (const [name, by] of counters) {
      names[`#c${i}`] = name;
      values[`:v${i}`] = by;
      adds.push(`#c${i} :v${i}`);
      i++;
    }
    ops.push({
      Update: {
        TableName: tableName(),
        Key: aggregateKey(period, subject),
        UpdateExpression: `ADD ${adds.join(", ")} SET #et = :et, #subject = :subject, #month = :month`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
  }
  try {
    // at most 6 unit levels (month, day, live) + departments + workers: far under the 100-item transaction limit
    // no explicit ClientRequestToken: the SDK fills a fresh one per send and keeps it across its own
    // attempts (a retry after a lost answer is a success); the processed mark catches every later
    // redelivery. A content-derived token would make two deliveries of the same event in the same
    // second collide as TransactionInProgressException instead of meeting the mark.
    await db().send(new TransactWriteCommand({ TransactItems: ops }));
    return "applied";
  } catch (err) {
    if (isConditionFailure(err)) return "duplicate";
    throw err;
  }
}
