import { describe, it, expect, beforeAll } from "vitest";
import { BatchWriteCommand, DeleteCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ownStack } from "../../test/own-stack.ts";
import { db, tableName } from "../../core/db/client.ts";
import * as keys from "../../core/db/keys.ts";
import { aggregateKey } from "../../core/aggregate/apply.ts";
import { seededRandom } from "../../core/geo/index.ts";
import { listMembers, planRun, processBatch, byteOrder, BATCH_SIZE, type BatchMessage } from "../../core/appraisal/run.ts";
import { getRunRaw, sheetsOf } from "../../core/appraisal/repo.ts";
import { rankByScore } from "../../core/appraisal/score.ts";
import type { Member } from "../../core/appraisal/evaluate.ts";
import { previousPeriod } from "../../core/appraisal/period.ts";

/**
 * The monthly run reads last month's scores from score sheets (one small item per batch) instead of
 * every result, and finalize takes ranks and leftovers from them. Real run code (plan, every batch,
 * finalize) on its own stack with aggregates written for two months; the answers are compared with
 * the stored results themselves, and with a month scored the old way (no sheets).
 */
const stack = ownStack();
const P1 = "2026-10";
const P0 = previousPeriod(P1);
const by = { kind: "system", id: "test" };
let members: Awaited<ReturnType<typeof listMembers>>;

/** Counters for every subject of a month, different per month (seeded): scores that differ between months. */
async function writeAggregates(period: string, seed: number): Promise<void> {
  const rnd = seededRandom(seed);
  const n = () => Math.floor(rnd() * 20);
  const items = [...members.unit, ...members.department, ...members.worker].map((m) => {
    const received = 5 + n();
    const handled = Math.min(received, n());
    const onTime = Math.floor(handled * rnd());
    return {
      ...aggregateKey(period, `${m.subject}#${m.id}`),
      _et: "Aggregate",
      subject: `${m.subject}#${m.id}`,
      month: period,
      reports: received,
      validReports: received,
      received,
      accepted: received,
      acceptedOnTime: received - 1,
      handled,
      handledOnTime: onTime,
      handledLate: handled - onTime,
      closed: handled,
      closedOnTime: onTime,
      closedLate: handled - onTime,
      claimed: n(),
      verified: handled,
      verifiedOnTime: onTime,
    };
  });
  for (let i = 0; i < items.length; i += 25) {
    await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

async function runMonth(period: string): Promise<BatchMessage[]> {
  const now = stack.get().clock.now();
  const { messages } = await planRun(period, by, now);
  // out of order, each batch delivered twice: the result may not depend on either
  for (const m of [...messages].reverse()) await processBatch(m, now);
  for (const m of messages) await processBatch(m, now);
  expect((await getRunRaw(period, true))?.status).toBe("done");
  return messages;
}

async function results(period: string): Promise<Map<string, Record<string, any>>> {
  const out = new Map<string, Record<string, any>>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": keys.appraisal(period, "", "").pk }, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const r of page.Items ?? []) out.set(r.sk as string, r);
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Every result of P1 carries P0's stored score, band and grade of its subject as its change. */
async function expectChangesFromStored(): Promise<void> {
  const [before, after] = [await results(P0), await results(P1)];
  let scored = 0;
  expect(after.size).toBe(members.unit.length + members.department.length + members.worker.length);
  for (const [sk, r] of after) {
    const prev = before.get(sk)!;
    expect(r.change, sk).not.toBeNull();
    expect(r.change.previousScore, sk).toBe(prev.score ?? null);
    if (r.subject === "unit") expect(r.change.previousBand, sk).toBe(prev.band?.color ?? null);
    else expect(r.change.previousGrade, sk).toBe(prev.grade ?? null);
    if (prev.score !== null && r.score !== null) scored++;
  }
  expect(scored).toBeGreaterThan(10);
}

beforeAll(async () => {
  members = await listMembers();
  await writeAggregates(P0, 1);
  await writeAggregates(P1, 2);
}, 120_000);

describe("score sheets of the monthly run", () => {
  it("batches hold ids in the table's order, and every batch writes one sheet covering its subjects", async () => {
    await runMonth(P0);
    const sheets = await sheetsOf(P0);
    const total = (["unit", "department", "worker"] as const).reduce((n, s) => n + Math.ceil(members[s].length / BATCH_SIZE[s]), 0);
    expect(sheets).toHaveLength(total);
    for (const s of sheets) {
      const ids = Object.keys(s.lines).sort(byteOrder);
      expect(ids[0]).toBe(s.first);
      expect(ids.at(-1)).toBe(s.last);
    }
    const stored = await results(P0);
    expect(sheets.reduce((n, s) => n + Object.keys(s.lines).length, 0)).toBe(stored.size);
    for (const s of sheets) for (const [id, [score]] of Object.entries(s.lines)) expect(stored.get(`${s.subject}#${id}`)?.score ?? null).toBe(score);
  });

  it("next month's change is last month's stored score, band and grade for every subject (the plan hands each batch its lines)", async () => {
    const messages = await runMonth(P1);
    expect(messages.every((m) => m.previous !== undefined)).toBe(true);
    await expectChangesFromStored();
  });

  it("ranks departments and workers by score from the sheets", async () => {
    const stored = await results(P1);
    for (const subject of ["department", "worker"] as const) {
      const rows = [...stored.values()].filter((r) => r.subject === subject);
      const ranks = rankByScore(rows.map((r) => ({ id: r.id, score: r.score ?? null })));
      for (const r of rows) expect(r.rank ?? null, `${subject} ${r.id}`).toBe(ranks.get(r.id));
    }
  });

  it("a re-run removes the results of a subject gone since, and the earlier run's sheets", async () => {
    const gone: Member = members.department[0];
    await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.department(gone.id), UpdateExpression: "SET active = :f", ExpressionAttributeValues: { ":f": false } }));
    const first = await getRunRaw(P1, true);
    stack.get().clock.advance(60_000);
    await runMonth(P1);
    const run = await getRunRaw(P1, true);
    expect(run!.runId > first!.runId).toBe(true);
    expect(run!.removed).toBe(1);
    const stored = await results(P1);
    expect(stored.has(`department#${gone.id}`)).toBe(false);
    expect([...stored.values()].every((r) => r.runId === run!.runId)).toBe(true);
    expect((await sheetsOf(P1)).every((s) => s.runId === run!.runId)).toBe(true);
    await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.department(gone.id), UpdateExpression: "SET active = :t", ExpressionAttributeValues: { ":t": true } }));
  });

  it("reads last month's sheets batch by batch when its run has not finished (the plan reads them only from a finished run)", async () => {
    await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.appraisalRun(P0), UpdateExpression: "SET #s = :r", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":r": "running" } }));
    stack.get().clock.advance(60_000);
    const { messages } = await planRun(P1, by, stack.get().clock.now());
    expect(messages.every((m) => m.previous === undefined)).toBe(true);
    for (const m of messages) await processBatch(m, stack.get().clock.now());
    await expectChangesFromStored();
    await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.appraisalRun(P0), UpdateExpression: "SET #s = :d", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":d": "done" } }));
  });

  it("reads a month scored before sheets existed from its results, with the same answer", async () => {
    // P0 as an older version left it: no sheets, a run record without the flag
    for (const s of await sheetsOf(P0)) await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.appraisalSheet(P0, s.subject, s.first, s.runId) }));
    await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.appraisalRun(P0), UpdateExpression: "REMOVE sheets" }));
    stack.get().clock.advance(60_000);
    await runMonth(P1);
    await expectChangesFromStored();
  });

  it("a re-run of a month scored before sheets removes its leftovers by reading its results once", async () => {
    // P0 was scored "the old way" above (no sheets, no flag): a subject gone since must still lose its result
    const gone: Member = members.worker[0];
    await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.user(gone.id), UpdateExpression: "SET active = :f", ExpressionAttributeValues: { ":f": false } }));
    stack.get().clock.advance(60_000);
    await runMonth(P0);
    const run = await getRunRaw(P0, true);
    expect(run!.fullSweep).toBe(true);
    expect(run!.removed).toBe(1);
    const stored = await results(P0);
    expect(stored.has(`worker#${gone.id}`)).toBe(false);
    expect([...stored.values()].every((r) => r.runId === run!.runId)).toBe(true);
  });
});
