import { describe, it, expect } from "vitest";
import { randomUUID } from "node:crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ownStack } from "../../test/own-stack.ts";
import { db, tableName } from "../../core/db/client.ts";
import * as keys from "../../core/db/keys.ts";
import { item } from "../../core/db/items.ts";
import { applyEvents, marksByOutboxRow, OUTBOX_MARK_CUTOVER } from "../../core/aggregate/apply.ts";
import { outboxRowKey } from "../../core/outbox/repo.ts";
import { Story } from "../../core/case/fixtures.ts";
import { toDomainEvents, type DomainEvent } from "../../core/case/repo.ts";

/**
 * #16 C: the counters' transaction marks an event processed by deleting its outbox row
 * (`Delete IF attribute_exists(pk)`), not by a `DONE#agg#<id>` item; an event decided before the
 * cutover keeps the DONE mark. DynamoDB Local through the real SDK, events on a unit path of their
 * own. Own stack without schedules: the outbox sweeper must not publish the rows written here.
 */
ownStack({ startTimeoutMs: 300_000 });

const get = async (key: { pk: string; sk: string }) => (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;

/** A report event of a fresh case on a unit of its own, at `at`; its outbox row written as the case's transaction writes it. */
async function reported(at: string, withRow: boolean): Promise<DomainEvent> {
  const story = new Story();
  const unit = `om-${randomUUID()}`;
  const e = { ...toDomainEvents(story.log[0].next, story.log[0].events)[0], id: `${unit}:1:0`, caseId: unit, unitId: unit, unitPath: `/${unit}/`, at };
  if (withRow) await db().send(new PutCommand({ TableName: tableName(), Item: item("Outbox", outboxRowKey(e), { event: e }) }));
  return e;
}
const reports = async (e: DomainEvent, month: string) => (await get({ pk: `AGG#${month}`, sk: `unit#${e.unitId}` }))?.reports;

describe("the outbox row's delete is the processed mark", () => {
  it("counts an event once: twice in a batch, again in a later batch, and beside a new event", async () => {
    const e = await reported("2026-12-05T13:00:00.000Z", true);
    expect(marksByOutboxRow(e)).toBe(true);
    expect((await applyEvents([e, e])).get(e.id)).toBe("applied");
    expect(await reports(e, "2026-12")).toBe(1);
    expect(await get(outboxRowKey(e))).toBeUndefined(); // the row is gone with the count
    expect(await get(keys.processed("agg", e.id))).toBeUndefined(); // and no DONE item was written

    const f = await reported("2026-12-05T13:01:00.000Z", true);
    const again = await applyEvents([e, f]);
    expect(Object.fromEntries(again)).toEqual({ [e.id]: "duplicate", [f.id]: "applied" });
    expect(await reports(e, "2026-12")).toBe(1);
    expect(await reports(f, "2026-12")).toBe(1);
  });

  it("counts an event decided before the cutover with a DONE mark, once, whether or not its row is there", async () => {
    const at = new Date(Date.parse(OUTBOX_MARK_CUTOVER) - 86_400_000).toISOString();
    const month = at.slice(0, 7);
    // its row already deleted by the consumer of that time (which deleted rows outside its transaction)
    const legacy = await reported(at, false);
    expect(marksByOutboxRow(legacy)).toBe(false);
    expect((await applyEvents([legacy])).get(legacy.id)).toBe("applied");
    expect(await get(keys.processed("agg", legacy.id))).toBeDefined();
    expect((await applyEvents([legacy])).get(legacy.id)).toBe("duplicate");
    expect(await reports(legacy, month)).toBe(1);
    // its row still there (the batch's plain writes delete it, not the transaction)
    const kept = await reported(at, true);
    expect((await applyEvents([kept])).get(kept.id)).toBe("applied");
    expect(await get(outboxRowKey(kept))).toBeDefined();
    expect((await applyEvents([kept])).get(kept.id)).toBe("duplicate");
    expect(await reports(kept, month)).toBe(1);
  });

  it("drops a counted event whose row is gone from a batch of several and writes the others", async () => {
    const [a, b, c] = await Promise.all(["13:10", "13:11", "13:12"].map((t) => reported(`2026-12-05T${t}:00.000Z`, true)));
    expect((await applyEvents([b])).get(b.id)).toBe("applied");
    expect(Object.fromEntries(await applyEvents([a, b, c]))).toEqual({ [a.id]: "applied", [b.id]: "duplicate", [c.id]: "applied" });
    expect([await reports(a, "2026-12"), await reports(b, "2026-12"), await reports(c, "2026-12")]).toEqual([1, 1, 1]);
  });
});
