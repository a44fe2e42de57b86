import { describe, it, expect, beforeAll } from "vitest";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { runJob } from "./client.ts";
import { ownStack } from "./own-stack.ts";
import { db, tableName } from "../core/db/client.ts";
import { auditPut } from "../core/audit/entry.ts";
import { expireAudit, LOOKBACK_MONTHS, PROBE_CONCURRENCY } from "../core/audit/retention.ts";
import { auditRowsPage } from "../core/audit/repo.ts";

/**
 * Issue #15 (cold init of the retention schedule), on a stack of its own: the audit retention asks
 * every month it looks back at whether it holds rows, PROBE_CONCURRENCY at a time, instead of one
 * Query after the other, and empties the months that do exactly as before: newest first, each one
 * audited `audit.expire`, at most `maxRows` rows a run, nothing before its look-back, nothing
 * younger than privacy.auditRetentionMonths (default 36).
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
const expireEntries = async (month: string) =>
  (await auditRowsPage({ pk: `AUDIT#${monthOf(monthIndex(new Date(START)))}` }, "!", "~", [{ name: "action", value: "audit.expire" }], null, 100, undefined)).rows.filter((r) => r.entityId === month);

beforeAll(() => {
  Object.assign(process.env, stack.get().env);
});

describe("audit retention: months probed many at a time, emptied newest first (#15)", () => {
  it("empties every month with rows in the look-back, newest first, audits each once, keeps younger months and months before the look-back", async () => {
    const now = new Date(START);
    const cur = monthIndex(now);
    const newest = cur - KEEP - 1; // the first month past the retention
    // months with rows: the newest expirable one, one in the first probe wave, one far past it, the last one looked at
    const expirable = [newest, newest - 5, newest - PROBE_CONCURRENCY * 3 - 2, cur - KEEP - LOOKBACK_MONTHS];
    const rows = new Map<number, { pk: string; sk: string }[]>();
    for (const m of expirable) rows.set(m, [await put(m), await put(m)]);
    const young = await put(cur - KEEP); // within the retention
    const beyond = await put(cur - KEEP - LOOKBACK_MONTHS - 1); // before the look-back: not looked at

    const result = (await runJob("retention")) as { audit: { deleted: number; months: string[] } };
    expect(result.audit).toEqual({ deleted: 8, months: expirable.map(monthOf) });
    for (const m of expirable) for (const k of rows.get(m)!) expect(await present(k)).toBe(false);
    expect(await present(young)).toBe(true);
    expect(await present(beyond)).toBe(true);
    for (const m of expirable) {
      const entries = await expireEntries(monthOf(m));
      expect(entries.map((e) => [e.action, e.details])).toEqual([["audit.expire", { month: monthOf(m), rows: 2, retentionMonths: KEEP }]]);
    }

    // a second run finds nothing more and audits nothing more
    const again = (await runJob("retention")) as { audit: { deleted: number; months: string[] } };
    expect(again.audit).toEqual({ deleted: 0, months: [] });
    for (const m of expirable) expect(await expireEntries(monthOf(m))).toHaveLength(1);
  });

  it("stops at maxRows: the newest months with rows go first, the rest wait for the next run", async () => {
    const now = new Date(START);
    const cur = monthIndex(now);
    const a = cur - KEEP - 2;
    const b = cur - KEEP - 30;
    const ka = [await put(a), await put(a)];
    const kb = [await put(b)];
    expect(await expireAudit(now, 2)).toEqual({ deleted: 2, months: [monthOf(a)] });
    for (const k of ka) expect(await present(k)).toBe(false);
    expect(await present(kb[0])).toBe(true);
    expect(await expireAudit(now, 2)).toEqual({ deleted: 1, months: [monthOf(b)] });
    expect(await present(kb[0])).toBe(false);
  });
});
