import { describe, it, expect } from "vitest";
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { testSqs } from "../../test/sqs-client.ts";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { call, advanceClock, setClock, runJob, queuesIdle } from "../../test/client.ts";
import { pauseConsumer } from "../../test/deadletter.ts";
import { db, tableName } from "../../core/db/client.ts";
import * as keys from "../../core/db/keys.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { must, report } from "../../test/cases.ts";
import { ownStack } from "../../test/own-stack.ts";

// Monday 2026-11-23 09:00 in Shanghai: inside working hours
const START = "2026-11-23T01:00:00Z";
ownStack({ at: START });

const get = async (id: string) => (await call("GET", `/v1/cases/${id}`, { token: await tokenFor("center") })).body;

async function fireTimers() {
  await runJob("timer-sweep");
  await queuesIdle();
}

describe("timers written before #16 (four shards)", () => {
  // first in the file: before any sweep ran, as on the first minute after an update
  it("still sweeps a timer on a legacy shard, and no longer reads those shards once found empty an hour later", async () => {
    const { case: c } = await report("worker1");
    const accepted = (await must("center", c.id, "accept")).case;
    // the timer row as the four-shard code wrote it: on TIMERS#2
    const row = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.caseTimer(c.id), ConsistentRead: true }))).Item!;
    expect(row.gsi1pk).toBe("TIMERS#0");
    await db().send(new PutCommand({ TableName: tableName(), Item: { ...row, gsi1pk: "TIMERS#2" } }));
    await setClock(Date.parse(accepted.timer.dueAt) + 60_000);
    expect(await runJob("timer-sweep")).toMatchObject({ sent: 1, applied: 0 }); // the legacy shard's way: the queue
    await queuesIdle();
    const after = await get(c.id);
    expect(after.case.state).toBe("dispatched");
    expect(after.timeline.filter((e: any) => e.type === "claim_expired")).toHaveLength(1);
    const mark = async () => (await db().send(new GetCommand({ TableName: tableName(), Key: keys.timerSweepCursor(0), ConsistentRead: true }))).Item;
    expect((await mark())?.retired).toEqual([]);
    // an hour after the one-shard sweep began, the legacy shards hold no timer (the case's next one is on TIMERS#0): retired
    await advanceClock(61);
    await runJob("timer-sweep");
    expect((await mark())?.retired).toEqual([1, 2, 3]);
    // the tests below count working hours from the morning the file starts at
    await setClock(Date.parse(START));
  });
});

describe("deadlines that fire on their own", () => {
  it("auto-dispatches a case whose claim window expired with no claim", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    expect((await get(c.id)).case.state).toBe("claimable");
    await advanceClock(30);
    await fireTimers();
    expect((await get(c.id)).case.state).toBe("claimable"); // not due yet: 1 working hour
    await advanceClock(35);
    await fireTimers();
    const after = await get(c.id);
    expect(after.case).toMatchObject({ state: "dispatched", owner: { kind: "department", id: "dept-urban" } });
    expect(after.timeline.map((e: any) => e.type)).toContain("claim_expired");
  });

  it("marks an overdue case, escalates it and notifies the owner and its superiors", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    await must("dept1", c.id, "claim");
    await advanceClock(60 * 24 * 10); // 10 calendar days > 5 working days
    await fireTimers();
    const after = await get(c.id);
    expect(after.case.flags.overdue).toBe(true);
    expect(after.timeline.map((e: any) => e.type)).toContain("overdue");
    const inbox = await call("GET", "/v1/me/notifications", { token: await tokenFor("dept1") });
    expect(inbox.body.items.some((n: any) => n.caseId === c.id && n.type === "overdue")).toBe(true);
    const superior = await call("GET", "/v1/me/notifications", { token: await tokenFor("center") });
    expect(superior.body.items.some((n: any) => n.caseId === c.id && n.type === "overdue")).toBe(true);
  });

  it("pushes a case hanging past its deadline to supervision", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    await must("dept1", c.id, "claim");
    await advanceClock(60 * 24 * 10);
    await fireTimers(); // overdue
    await advanceClock(60 * 25);
    await fireTimers(); // hanging → supervised
    const after = await get(c.id);
    expect(after.case.flags.supervised).toBe(true);
    const inbox = await call("GET", "/v1/me/notifications", { token: await tokenFor("supervisor") });
    expect(inbox.body.items.some((n: any) => n.caseId === c.id && n.type === "supervised")).toBe(true);
  });

  it("makes a case unfixed after rework supervised", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    await must("dept1", c.id, "claim");
    for (let round = 0; round < 2; round++) {
      await must("dept1", c.id, "handle", { note: `第${round + 1}次处理` });
      await must("worker1", c.id, "verify", { pass: true });
      await must("worker1", c.id, "evaluate", { level: "very_dissatisfied" });
    }
    const after = await get(c.id);
    expect(after.case).toMatchObject({ state: "dispatched", flags: { supervised: true }, counters: { rework: 2 } });
  });

  it("changes nothing when a timer message is delivered twice, late, or after the case moved on", async () => {
    const { case: c } = await report("worker1");
    const accepted = await must("center", c.id, "accept");
    const timer = accepted.case.timer;
    await setClock(Date.parse(timer.dueAt) + 60_000);
    const msg = JSON.stringify({ caseId: c.id, stage: timer.stage, dueAt: timer.dueAt, version: accepted.case.version });
    await testSqs().send(new SendMessageBatchCommand({ QueueUrl: process.env.WANGGE_QUEUE_TIMEOUTS_URL, Entries: [{ Id: "a", MessageBody: msg }, { Id: "b", MessageBody: msg }] }));
    await queuesIdle();
    const once = await get(c.id);
    expect(once.case.state).toBe("dispatched");
    expect(once.timeline.filter((e: any) => e.type === "claim_expired")).toHaveLength(1);
    // the same stale message once more, later: still nothing
    await testSqs().send(new SendMessageBatchCommand({ QueueUrl: process.env.WANGGE_QUEUE_TIMEOUTS_URL, Entries: [{ Id: "c", MessageBody: msg }] }));
    await queuesIdle();
    const again = await get(c.id);
    expect(again.case.version).toBe(once.case.version);
  });

  it("keeps the good records of a batch when one record of it fails", async () => {
    const a = (await report("worker1")).case;
    const b = (await report("worker1")).case;
    const ta = (await must("center", a.id, "accept")).case;
    const tb = (await must("center", b.id, "accept")).case;
    await setClock(Math.max(Date.parse(ta.timer.dueAt), Date.parse(tb.timer.dueAt)) + 60_000);
    const m = (c: any) => JSON.stringify({ caseId: c.id, stage: c.timer.stage, dueAt: c.timer.dueAt });
    await testSqs().send(
      new SendMessageBatchCommand({
        QueueUrl: process.env.WANGGE_QUEUE_TIMEOUTS_URL,
        Entries: [{ Id: "1", MessageBody: m(ta) }, { Id: "2", MessageBody: "{not json" }, { Id: "3", MessageBody: m(tb) }],
      }),
    );
    // the poison record stays in flight (and reaches the DLQ after maxReceiveCount); the others are applied
    for (let i = 0; i < 50; i++) {
      const states = await Promise.all([get(a.id), get(b.id)]);
      if (states.every((s) => s.case.state === "dispatched")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await get(a.id)).case.state).toBe("dispatched");
    expect((await get(b.id)).case.state).toBe("dispatched");
  });
});

describe("operations", () => {
  it("shows admins each queue's depth, its dead letters and the consumer's last error", async () => {
    await testSqs().send(new SendMessageBatchCommand({ QueueUrl: process.env.WANGGE_QUEUE_TIMEOUTS_URL, Entries: [{ Id: "p", MessageBody: "{poison" }] }));
    // poll until the consumer's failure shows up (at most 50 tries), then assert on the last answer
    let r: any;
    let timeouts: any;
    for (let i = 0; i < 50 && !timeouts?.lastError; i++) {
      if (i > 0) await new Promise((res) => setTimeout(res, 100));
      r = await call("GET", "/v1/ops/queues", { token: await tokenFor("admin") });
      timeouts = r.body.items.find((q: any) => q.queue === "timeouts");
    }
    expect(timeouts.lastError?.message, "the consumer's failure never showed up").toMatch(/unparseable/);
    expect(timeouts.failures).toBeGreaterThan(0);
    expect(r.body.items.map((q: any) => q.queue)).toEqual(expect.arrayContaining(["events", "timeouts", "jobs", "webhooks"]));
    expect(typeof timeouts.deadLetters).toBe("number");
  });

  it("refuses the operations view to a grid worker", async () => {
    expect((await call("GET", "/v1/ops/queues", { token: await tokenFor("worker1") })).status).toBe(403);
  });
});

describe("the sweep's watermark", () => {
  // this file's own stack: its emulators are this process's environment (test/own-stack.ts)
  const timerRow = async (caseId: string) => {
    return (await db().send(new GetCommand({ TableName: tableName(), Key: keys.caseTimer(caseId), ConsistentRead: true }))).Item;
  };

  /** Receive from the timeouts queue until `body` comes (then delete it): whether it came within `tries`. */
  const takeTimeout = async (body: string, tries = 20): Promise<boolean> => {
    const url = process.env.WANGGE_QUEUE_TIMEOUTS_URL!;
    for (let i = 0; i < tries; i++) {
      const out = await testSqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
      const hit = (out.Messages ?? []).find((m) => m.Body === body);
      if (hit) {
        await testSqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: hit.ReceiptHandle! }));
        return true;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  };

  it("applies a lone due timer in the sweep itself: no message, the case and the watermark written together", async () => {
    const { case: c } = await report("worker1");
    const accepted = (await must("center", c.id, "accept")).case;
    await pauseConsumer("timeouts", true);
    try {
      await setClock(Date.parse(accepted.timer.dueAt) + 60_000);
      const mark0 = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.timerSweepCursor(0), ConsistentRead: true }))).Item;
      const result = (await runJob("timer-sweep")) as { sent: number; applied: number };
      expect(result).toMatchObject({ sent: 0, applied: 1 });
      // applied before any consumer ran (the timeouts consumer is paused), and nothing was queued
      const after = await get(c.id);
      expect(after.case.state).toBe("dispatched");
      expect(after.timeline.filter((e: any) => e.type === "claim_expired")).toHaveLength(1);
      const body = JSON.stringify({ caseId: c.id, stage: accepted.timer.stage, dueAt: accepted.timer.dueAt, version: accepted.version });
      expect(await takeTimeout(body, 5)).toBe(false);
      const mark = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.timerSweepCursor(0), ConsistentRead: true }))).Item;
      expect(mark?.upTo).toBe(`${accepted.timer.dueAt}#${c.id}`);
      expect(mark?.v).toBe(((mark0?.v as number | undefined) ?? 0) + 1);
      // the same minute again: the watermark has passed it, nothing to do
      expect(await runJob("timer-sweep")).toMatchObject({ sent: 0, applied: 0 });
    } finally {
      await pauseConsumer("timeouts", false);
    }
  });

  it("sends a due timer once without writing to it, and again only when it was lost", async () => {
    const { case: c } = await report("worker1");
    const accepted = (await must("center", c.id, "accept")).case;
    await pauseConsumer("timeouts", true);
    // the queue path (a bulk of due timers takes it; a lone one is applied by the sweep itself)
    process.env.WANGGE_TIMER_APPLY_HERE_MAX = "0";
    try {
      await setClock(Date.parse(accepted.timer.dueAt) + 60_000);
      await runJob("timer-sweep");
      const body = JSON.stringify({ caseId: c.id, stage: accepted.timer.stage, dueAt: accepted.timer.dueAt, version: accepted.version });
      // the message is lost (taken off the queue, as a dead-lettered one would be)
      expect(await takeTimeout(body)).toBe(true);
      // the sweep did not write to the timer it sent
      expect((await timerRow(c.id))?.sweptAt).toBeUndefined();
      // a minute later the watermark has passed it: not sent again
      await advanceClock(1);
      await runJob("timer-sweep");
      expect(await takeTimeout(body, 5)).toBe(false);
      // once a checkpoint behind it is 15 minutes old, the timer still there is a straggler: sent again, marked
      await advanceClock(16);
      await runJob("timer-sweep");
      await advanceClock(16);
      await runJob("timer-sweep");
      expect((await timerRow(c.id))?.sweptAt).toBeDefined();
    } finally {
      delete process.env.WANGGE_TIMER_APPLY_HERE_MAX;
      await pauseConsumer("timeouts", false);
    }
    // not queuesIdle(): the poison message of "operations" above stays in flight until it is dead-lettered
    for (let i = 0; i < 100 && (await get(c.id)).case.state !== "dispatched"; i++) await new Promise((r) => setTimeout(r, 100));
    const after = await get(c.id);
    expect(after.case.state).toBe("dispatched");
    expect(after.timeline.filter((e: any) => e.type === "claim_expired")).toHaveLength(1);
  });
});
