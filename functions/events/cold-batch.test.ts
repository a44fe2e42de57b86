import { describe, it, expect, beforeAll } from "vitest";
import { randomUUID } from "node:crypto";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { useStackEnv } from "../../test/client.ts";
import { db, tableName } from "../../core/db/client.ts";
import { item } from "../../core/db/items.ts";
import * as keys from "../../core/db/keys.ts";
import { countsNowhere, marksByOutboxRow } from "../../core/aggregate/apply.ts";
import { forgetFoldMarker } from "../../core/aggregate/fold.ts";
import { FOLD_KEY } from "../../core/aggregate/repo-fold.ts";
import { forgetSettings } from "../../core/settings/settings.ts";
import { outboxRowKey } from "../../core/outbox/repo.ts";
import { Story } from "../../core/case/fixtures.ts";
import { toDomainEvents, type DomainEvent } from "../../core/case/repo.ts";
import { handler } from "./consume.ts";

/**
 * A cold container's first batch of the events consumer (#15 cold init, docs/deploy.md "Cold path"):
 * the requests that do not wait for each other's answers are sent together. The real handler on the
 * stack's DynamoDB Local; the SDK middleware below holds one request until the other has started
 * (2 s at most), so a consumer that sends them one after the other is seen doing so.
 */
const log: string[] = [];
const holds: Array<{ what: RegExp; until: RegExp }> = [];

const nameOf = (commandName: string, input: any): string => {
  const key = input?.Key;
  const pk = key?.pk?.S ?? key?.pk;
  const sk = key?.sk?.S ?? key?.sk;
  return commandName.replace(/Command$/, "") + (pk ? ` ${pk}/${sk}` : "");
};

beforeAll(() => {
  useStackEnv();
  db().middlewareStack.add(
    (next: any, context: any) => async (args: any) => {
      const name = nameOf(context.commandName ?? "", args.input);
      log.push(`start ${name}`);
      const hold = holds.find((h) => h.what.test(name));
      if (hold) for (let t = Date.now(); !log.some((l) => hold.until.test(l)) && Date.now() - t < 2000; ) await new Promise((r) => setTimeout(r, 5));
      try {
        return await next(args);
      } finally {
        log.push(`end ${name}`);
      }
    },
    { step: "initialize", name: "coldBatchTestSpy" },
  );
});

/** A report event of a fresh case on a unit of its own, after the outbox-mark cutover; its outbox row as the case's transaction writes it. */
async function reported(at: string): Promise<DomainEvent> {
  const story = new Story();
  const unit = `cb-${randomUUID()}`;
  const e = { ...toDomainEvents(story.log[0].next, story.log[0].events)[0], id: `${unit}:1:0`, caseId: unit, unitId: unit, unitPath: `/${unit}/`, at };
  await db().send(new PutCommand({ TableName: tableName(), Item: item("Outbox", outboxRowKey(e), { event: e }) }));
  return e;
}

function record(e: DomainEvent): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body: JSON.stringify(e),
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "test", ApproximateFirstReceiveTimestamp: "0" },
    messageAttributes: { eventId: { dataType: "String", stringValue: e.id } },
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:local:000000000000:events",
    awsRegion: "local",
  } as SQSRecord;
}

const index = (line: string) => {
  const i = log.indexOf(line);
  expect(i, `${line} in:\n${log.join("\n")}`).toBeGreaterThanOrEqual(0);
  return i;
};

describe("a cold events consumer's first batch", () => {
  it("reads the fold marker while the settings are read, and writes the notifications and feed entries while the counters' transaction runs; counted once, row deleted, feed entry written", async () => {
    const e = await reported("2026-12-05T13:30:00.000Z");
    expect(marksByOutboxRow(e)).toBe(true);
    expect(countsNowhere(e)).toBe(false);
    // a fresh container: no settings, no marker seen
    forgetSettings();
    forgetFoldMarker();
    const settings = keys.settings();
    const settingsRead = `GetItem ${settings.pk}/${settings.sk}`;
    const markerRead = `GetItem ${FOLD_KEY.pk}/${FOLD_KEY.sk}`;
    holds.push({ what: new RegExp(`^${settingsRead}$`), until: new RegExp(`^start ${markerRead}$`) }, { what: /^TransactWriteItems/, until: /^start BatchWriteItem/ });
    log.length = 0;
    const out = await handler({ Records: [record(e)] } as SQSEvent);
    holds.length = 0;
    expect(out.batchItemFailures).toEqual([]);
    expect(index(`start ${markerRead}`), log.join("\n")).toBeLessThan(index(`end ${settingsRead}`));
    expect(index("start BatchWriteItem"), log.join("\n")).toBeLessThan(index("end TransactWriteItems"));
    // one transaction and one plain write, as before
    // (which of the two starts first depends on which of their reads answers first: only their overlap is the rule)
    expect(log.filter((l) => l.startsWith("start TransactWriteItems") || l.startsWith("start BatchWriteItem")).sort()).toEqual(["start BatchWriteItem", "start TransactWriteItems"]);
    const get = async (key: { pk: string; sk: string }) => (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;
    expect((await get({ pk: "AGG#2026-12", sk: `unit#${e.unitId}` }))?.reports).toBe(1);
    expect(await get(outboxRowKey(e))).toBeUndefined();
    expect(await get(keys.open311Update(e.at.slice(0, 10), e.at, e.id))).toBeDefined();
  });
});
