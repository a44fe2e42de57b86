import { describe, it, expect, beforeAll } from "vitest";
import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { runJob } from "./client.ts";
import { ownStack } from "./own-stack.ts";
import { db, tableName } from "../core/db/client.ts";
import { auditPut } from "../core/audit/entry.ts";
import { expireAudit, FULL_PROBE_EVERY_MS, LOOKBACK_MONTHS, PROBE_CONCURRENCY } from "../core/audit/retention.ts";
import { auditMarksSettled } from "../core/audit/marks.ts";
import * as keys from "../core/db/keys.ts";
import { requestCounts, resetRequestCounts } from "../core/db/metrics.ts";
import { auditRowsPage } from "../core/audit/repo.ts";

/**
 * Issue #15 (cold init of the retention schedule), on a stack of its own: the daily audit retention
 * reads the audit-month markers (one Query) and empties the marked months past the cut-off; once a
 * week (and on its first run) it also asks every month it looks back at whether it holds rows,
 * PROBE_CONCURRENCY at a time. Months are emptied newest first, each one audited `audit.expire`, at
 * most `maxRows` rows a run, nothing younger than privacy.auditRetentionMonths (default 36).
 */
const START = "2026-06-15T02:00:00.000Z";
const stack = ownStack({ at: START });
const KEEP = 36;

const monthIndex = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();
const monthOf = (n: number) => `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;
const inMonth = (n: number) => new Date(Date.UTC(Math.floor(n / 12), n % 12, 10, 4));

let seq = 0;
async function put(month: number): Promise<{ pk: string; sk: string }> {
  const row = auditPut({ actor: { kind: "system", id: "retention-audit-test" }, action: "test.retention", entity: "test", entityId: `ra${seq++}`, summary: "retention test row" }, inMonth(month)).Put;
  await db().send(new PutCommand(row));
  const item = row.Item as unknown as { pk: string; sk: string };
  return { pk: item.pk, sk: item.sk };
}
const present = async (k: { pk: string; sk: string }) => Boolean((await db().send(new GetCommand({ TableName: tableName(), Key: k, ConsistentRead: true }))).Item);
const marker = async (month: string) => Boolean((await db().send(new GetCommand({ TableName: tableName(), Key: keys.auditMonthMark(month), ConsistentRead: true }))).Item);
const expireEntries = async (month: string) =>
  (await auditRowsPage({ pk: `AUDIT#${monthOf(monthIndex(new Date(START)))}` }, "!", "~", [{ name: "action", value: "audit.expire" }], null, 100, undefined)).rows.filter((r) => r.entityId === month);

beforeAll(() => {
  Object.assign(process.env, stack.get().env);
});

describe("audit retention: months probed many at a time, emptied newest first (#15)", () => {
  it("empties every month with rows in the look-back and every marked month past the cut-off, newest first, audits each once, keeps younger months", async () => {
    const now = new Date(START);
    const cur = monthIndex(now);
    const newest = cur - KEEP - 1; // the first month past the retention
    // months with rows: the newest expirable one, one in the first probe wave, one far past it, the last one looked at
    const expirable = [newest, newest - 5, newest - PROBE_CONCURRENCY * 3 - 2, cur - KEEP - LOOKBACK_MONTHS];
    const rows = new Map<number, { pk: string; sk: string }[]>();
    for (const m of expirable) rows.set(m, [await put(m), await put(m)]);
    const young = await put(cur - KEEP); // within the retention
    // before the look-back: the full probe does not look there, but the month's marker (put by the
    // audit writer) names it, and a marked month past the cut-off is emptied however old
    const beyond = await put(cur - KEEP - LOOKBACK_MONTHS - 1);

    const result = (await runJob("retention")) as { audit: { deleted: number; months: string[] } };
    // the first run ever probes every look-back month (no full probe recorded yet)
    expect(result.audit).toEqual({ deleted: 9, months: [...expirable, cur - KEEP - LOOKBACK_MONTHS - 1].map(monthOf), fullProbe: true });
    for (const m of expirable) for (const k of rows.get(m)!) expect(await present(k)).toBe(false);
    expect(await present(young)).toBe(true);
    expect(await present(beyond)).toBe(false);
    for (const m of expirable) {
      const entries = await expireEntries(monthOf(m));
      expect(entries.map((e) => [e.action, e.details])).toEqual([["audit.expire", { month: monthOf(m), rows: 2, retentionMonths: KEEP }]]);
    }

    // a second run finds nothing more and audits nothing more
    const again = (await runJob("retention")) as { audit: { deleted: number; months: string[] } };
    expect(again.audit).toEqual({ deleted: 0, months: [], fullProbe: false });
    for (const m of expirable) expect(await expireEntries(monthOf(m))).toHaveLength(1);
  });

  it("stops at maxRows: the newest months with rows go first, the rest wait for the next run", async () => {
    const now = new Date(START);
    const cur = monthIndex(now);
    const a = cur - KEEP - 2;
    const b = cur - KEEP - 30;
    const ka = [await put(a), await put(a)];
    const kb = [await put(b)];
    expect(await expireAudit(now, 2)).toEqual({ deleted: 2, months: [monthOf(a)], fullProbe: false });
    for (const k of ka) expect(await present(k)).toBe(false);
    expect(await present(kb[0])).toBe(true);
    expect(await marker(monthOf(b))).toBe(true); // not emptied yet: its marker stays
    expect(await expireAudit(now, 2)).toEqual({ deleted: 1, months: [monthOf(b)], fullProbe: false });
    expect(await present(kb[0])).toBe(false);
  });

  it("a marked month is emptied by the daily run: the markers are read with one Query, no month is probed, the marker goes once its month is empty", async () => {
    const now = new Date(Date.parse(START) + 86_400_000); // the day after the first (full) run
    const cur = monthIndex(now);
    const m = cur - KEEP - 7;
    const k = [await put(m), await put(m)];
    await auditMarksSettled();
    expect(await marker(monthOf(m))).toBe(true); // put by the audit writer, for the month of the row
    expect(await marker(monthOf(cur - KEEP - 157))).toBe(false); // nothing there: no marker

    resetRequestCounts();
    expect(await expireAudit(now)).toEqual({ deleted: 2, months: [monthOf(m)], fullProbe: false });
    // one Query of the markers, the month's delete page, the probe that finds it empty (no 120 probes)
    expect(requestCounts.get("dynamodb:QueryCommand")).toBe(3);
    for (const key of k) expect(await present(key)).toBe(false);
    expect(await marker(monthOf(m))).toBe(false);
    expect(await expireEntries(monthOf(m))).toHaveLength(1);

    // a row written later into that month (a clock set back) puts its marker again, and the next daily run finds it
    const late = await put(m);
    await auditMarksSettled();
    expect(await marker(monthOf(m))).toBe(true);
    expect(await expireAudit(now)).toEqual({ deleted: 1, months: [monthOf(m)], fullProbe: false });
    expect(await present(late)).toBe(false);
  });

  it("a row in a month without a marker is deleted by the weekly run (the daily runs do not see it)", async () => {
    const day = (n: number) => new Date(Date.parse(START) + n * 86_400_000);
    const m = monthIndex(day(2)) - KEEP - 11;
    const lost = await put(m);
    await auditMarksSettled();
    await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.auditMonthMark(monthOf(m)) })); // the marker lost
    // the daily runs within the week: markers only, the row stays
    expect(await expireAudit(day(2))).toEqual({ deleted: 0, months: [], fullProbe: false });
    expect(await expireAudit(day(6))).toEqual({ deleted: 0, months: [], fullProbe: false });
    expect(await present(lost)).toBe(true);
    // seven days after the first run's full probe: every look-back month probed again
    const weekly = day(FULL_PROBE_EVERY_MS / 86_400_000);
    resetRequestCounts();
    expect(await expireAudit(weekly)).toEqual({ deleted: 1, months: [monthOf(m)], fullProbe: true });
    expect(requestCounts.get("dynamodb:QueryCommand")).toBeGreaterThanOrEqual(LOOKBACK_MONTHS);
    expect(await present(lost)).toBe(false);
    expect(await marker(monthOf(m))).toBe(false); // marked when found, deleted once emptied
    // and the next day is a daily run again
    expect(await expireAudit(day(8))).toEqual({ deleted: 0, months: [], fullProbe: false });
  });
});
