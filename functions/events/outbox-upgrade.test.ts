import { describe, it, expect, beforeAll } from "vitest";
import { randomUUID } from "node:crypto";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ownStack } from "../../test/own-stack.ts";
import { queuesIdle } from "../../test/client.ts";
import { db, tableName } from "../../core/db/client.ts";
import * as keys from "../../core/db/keys.ts";
import { item } from "../../core/db/items.ts";
import { counterWritesOf, marksByOutboxRow } from "../../core/aggregate/apply.ts";
import { REPUBLISHED } from "../../core/aggregate/seen.ts";
import { outboxRowKey } from "../../core/outbox/repo.ts";
import { sweepOutbox } from "../../core/outbox/publish.ts";
import { Story } from "../../core/case/fixtures.ts";
import { toDomainEvents, type DomainEvent } from "../../core/case/repo.ts";
import { handler } from "./consume.ts";

/**
 * #16 upgrade: the events consumer before #16 counted an event with `Put DONE#agg#<id>` and deleted its
 * outbox row after its transaction; one that died in between left both. The event comes back after
 * the upgrade (an SQS redelivery, a copy the outbox sweep republished, a redrive) with an `at` after
 * OUTBOX_MARK_CUTOVER: the row's delete alone would count it again. A message that may have been seen
 * before also checks the DONE mark (core/aggregate/seen.ts); a first delivery does not.
 * Through the real consumer handler on DynamoDB Local; the sweep case through fauxqs and the stack's poller.
 */
ownStack({ startTimeoutMs: 300_000 });

const get = async (key: { pk: string; sk: string }) => (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;

/** The TransactWriteItems this process sends, as the kinds of their items. */
const transactions: string[][] = [];
beforeAll(() => {
  db().middlewareStack.add(
    (next: any, context: any) => async (args: any) => {
      if (/^TransactWrite/.test(context.commandName) && Array.isArray(args.input?.TransactItems)) transactions.push((args.input.TransactItems as object[]).map((o) => Object.keys(o)[0]));
      return next(args);
    },
    { step: "initialize", name: "outboxUpgradeTestSpy" },
  );
});

/** A report event of a fresh case on a unit of its own, at `at`; its outbox row as the case's transaction writes it. */
async function reported(at: string): Promise<DomainEvent> {
  const story = new Story();
  const unit = `ou-${randomUUID()}`;
  const e = { ...toDomainEvents(story.log[0].next, story.log[0].events)[0], id: `${unit}:1:0`, caseId: unit, unitId: unit, unitPath: `/${unit}/`, at };
  await db().send(new PutCommand({ TableName: tableName(), Item: item("Outbox", outboxRowKey(e), { event: e }) }));
  return e;
}

/** What the consumer before #16 left when it died after its counters' transaction: the count and the DONE mark (the row stays). */
async function countedByOldConsumer(e: DomainEvent, month: string) {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.processed("agg", e.id), _et: "Processed", expiresAt: Math.floor(Date.now() / 1000) + 30 * 86400 } }));
  await db().send(new PutCommand({ TableName: tableName(), Item: { pk: `AGG#${month}`, sk: `unit#${e.unitId}`, _et: "Aggregate", subject: `unit#${e.unitId}`, month, reports: 1 } }));
}

const reports = async (e: DomainEvent, month: string) => (await get({ pk: `AGG#${month}`, sk: `unit#${e.unitId}` }))?.reports;

/** One Lambda SQS record of `e`, as the poller builds it. */
function record(e: DomainEvent, receiveCount: number, republished?: "sweep" | "redrive"): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body: JSON.stringify(e),
    attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: "0", SenderId: "test", ApproximateFirstReceiveTimestamp: "0" },
    messageAttributes: { eventId: { dataType: "String", stringValue: e.id }, ...(republished ? { [REPUBLISHED]: { dataType: "String", stringValue: republished } } : {}) },
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:local:000000000000:events",
    awsRegion: "local",
  } as SQSRecord;
}

async function deliver(...records: SQSRecord[]) {
  const out = await handler({ Records: records } as SQSEvent);
  expect(out.batchItemFailures).toEqual([]);
}

describe("an event the consumer before #16 counted comes back after the upgrade", () => {
  it("as an SQS redelivery (receive count 2): counted no more, its row deleted", async () => {
    const e = await reported("2026-12-05T13:00:00.000Z");
    expect(marksByOutboxRow(e)).toBe(true);
    await countedByOldConsumer(e, "2026-12");
    await deliver(record(e, 2));
    expect(await reports(e, "2026-12")).toBe(1);
    expect(await get(outboxRowKey(e))).toBeUndefined();
  });

  it("as a copy the outbox sweep republished (receive count 1, republished): counted no more, its row deleted", async () => {
    const e = await reported("2026-12-05T13:01:00.000Z");
    await countedByOldConsumer(e, "2026-12");
    await deliver(record(e, 1, "sweep"));
    expect(await reports(e, "2026-12")).toBe(1);
    expect(await get(outboxRowKey(e))).toBeUndefined();
  });

  it("as a copy the redrive route sent again (republished: redrive), beside a new event in the batch", async () => {
    const e = await reported("2026-12-05T13:02:00.000Z");
    const fresh = await reported("2026-12-05T13:03:00.000Z");
    await countedByOldConsumer(e, "2026-12");
    await deliver(record(e, 1, "redrive"), record(fresh, 1));
    expect([await reports(e, "2026-12"), await reports(fresh, "2026-12")]).toEqual([1, 1]);
    expect([await get(outboxRowKey(e)), await get(outboxRowKey(fresh))]).toEqual([undefined, undefined]);
  });

  it("as a copy the real outbox sweep sends through the queue: counted no more, its row deleted", async () => {
    const e = await reported("2026-12-05T13:04:00.000Z");
    await countedByOldConsumer(e, "2026-12");
    const swept = await sweepOutbox(new Date("2026-12-05T14:04:00.000Z"));
    expect(swept.republished).toBeGreaterThanOrEqual(1);
    await queuesIdle();
    expect(await reports(e, "2026-12")).toBe(1);
    expect(await get(outboxRowKey(e))).toBeUndefined();
  });
});

describe("the DONE check does not refuse what was never counted, nor cost a first delivery anything", () => {
  it("a redelivery of an event never counted (row there, no DONE mark) is counted once", async () => {
    const e = await reported("2026-12-05T13:10:00.000Z");
    await deliver(record(e, 2));
    expect(await reports(e, "2026-12")).toBe(1);
    expect(await get(outboxRowKey(e))).toBeUndefined();
    expect(await get(keys.processed("agg", e.id))).toBeUndefined();
    await deliver(record(e, 3)); // and again: the row is gone, a duplicate
    expect(await reports(e, "2026-12")).toBe(1);
  });

  it("a first delivery's transaction holds the row's delete and the counters only; a redelivery's adds the DONE check", async () => {
    const first = await reported("2026-12-05T13:20:00.000Z");
    transactions.length = 0;
    await deliver(record(first, 1));
    const updates = (e: DomainEvent) => counterWritesOf(e, "Asia/Shanghai").map(() => "Update"); // one item per aggregate the event counts on
    expect(updates(first).length).toBeGreaterThan(0);
    expect(transactions).toEqual([["Delete", ...updates(first)]]);
    expect(await reports(first, "2026-12")).toBe(1);

    const again = await reported("2026-12-05T13:21:00.000Z");
    transactions.length = 0;
    await deliver(record(again, 2));
    expect(transactions).toEqual([["Delete", "ConditionCheck", ...updates(again)]]);
    expect(await reports(again, "2026-12")).toBe(1);
  });
});
