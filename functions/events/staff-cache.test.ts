import { describe, it, expect, beforeAll } from "vitest";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { call, advanceClock, setClock, runJob, queuesIdle } from "../../test/client.ts";
import { tokenFor, DEMO_PASSWORD } from "../../test/fixtures.ts";
import { must, report } from "../../test/cases.ts";
import { ownStack } from "../../test/own-stack.ts";
import { db, tableName } from "../../core/db/client.ts";
import * as keys from "../../core/db/keys.ts";
import { forgetStaffRows } from "../../core/notify/inbox.ts";
import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { testSqs } from "../../test/sqs-client.ts";
import { pauseConsumer } from "../../test/deadletter.ts";

/**
 * #16 D: the staff version (CONFIG / VERSION#staff) moves with every write of role rows; the events
 * consumer keeps role rows per unit while the version stamped on the messages proves them current,
 * so a warm consumer answers a batch's recipients without the gsi2 Query; a staff change is seen by
 * the next event; rows read within 10 s of a bump are not kept (the index may lag).
 */

// Monday 2026-11-23 09:00 in Shanghai: inside working hours
const START = "2026-11-23T01:00:00Z";
ownStack({ at: START });

/** Every DynamoDB request this process sends, as `Command pk-or-index` (the embedded stack's handlers run in this process). */
const sent: string[] = [];
let spying = false;
beforeAll(() => {
  db().middlewareStack.add(
    (next: any, context: any) => async (args: any) => {
      if (spying) {
        const i = args.input ?? {};
        const what = i.IndexName ? `${i.IndexName} ${Object.values(i.ExpressionAttributeValues ?? {})[0]}` : (i.Key?.pk ?? Object.keys(i.RequestItems ?? {}).join(",") ?? "");
        sent.push(`${context.commandName} ${what}`);
      }
      return next(args);
    },
    { step: "initialize", name: "staffCacheTestSpy" },
  );
});

async function watch<T>(fn: () => Promise<T>): Promise<{ result: T; requests: string[] }> {
  sent.length = 0;
  spying = true;
  try {
    const result = await fn();
    return { result, requests: [...sent] };
  } finally {
    spying = false;
  }
}

const staffQueries = (requests: string[]) => requests.filter((r) => r.startsWith("QueryCommand gsi2 STAFF#"));

async function staffVersion(): Promise<{ n?: number; at?: string } | undefined> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: keys.configVersion("staff"), ConsistentRead: true }))).Item as any;
}

async function inboxTypes(username: string, caseId: string): Promise<string[]> {
  const r = await call("GET", "/v1/me/notifications?limit=200", { token: await tokenFor(username) });
  expect(r.status).toBe(200);
  return r.body.items.filter((n: any) => n.caseId === caseId).map((n: any) => n.type);
}

let rootUnitId: string;
beforeAll(async () => {
  const me = await call("GET", "/v1/me", { token: await tokenFor("admin") });
  rootUnitId = me.body.assignments[0].unitId;
});

const admin = () => tokenFor("admin");
async function createUser(username: string, assignments: unknown[]) {
  const r = await call("POST", "/v1/users", { token: await admin(), body: { username, displayName: `缓存测试${username}`, password: DEMO_PASSWORD, assignments } });
  expect(r.status).toBe(201);
  return r.body;
}
async function patchUser(id: string, body: Record<string, unknown>) {
  const cur = await call("GET", `/v1/users/${id}`, { token: await admin() });
  const r = await call("PATCH", `/v1/users/${id}`, { token: await admin(), body: { version: cur.body.version, ...body } });
  expect(r.status).toBe(200);
  return r.body;
}

describe("the staff version", () => {
  it("moves with every write of role rows, in the same transaction, and not with other user writes", async () => {
    const v0 = (await staffVersion())?.n ?? 0;
    const u = await createUser("sv1", [{ role: "dispatcher", unitId: rootUnitId }]);
    const v1 = await staffVersion();
    expect(v1?.n).toBe(v0 + 1);
    expect(typeof v1?.at).toBe("string");
    // a change that leaves the rows as they are
    await patchUser(u.id, { displayName: "改名" });
    expect((await staffVersion())?.n).toBe(v0 + 1);
    // a role added: a row put
    await patchUser(u.id, { assignments: [{ role: "dispatcher", unitId: rootUnitId }, { role: "supervisor", unitId: rootUnitId }] });
    expect((await staffVersion())?.n).toBe(v0 + 2);
    // deactivation drops every row
    await patchUser(u.id, { active: false });
    expect((await staffVersion())?.n).toBe(v0 + 3);
    // reactivation puts them back
    await patchUser(u.id, { active: true });
    expect((await staffVersion())?.n).toBe(v0 + 4);
    // a handover moves a grid worker's rows to the successor (a job)
    const grid = (await call("GET", "/v1/me", { token: await tokenFor("worker1") })).body.assignments[0].unitId;
    const leaver = await createUser("sv3", [{ role: "grid_worker", unitId: grid }]);
    const succ = await createUser("sv4", [{ role: "grid_worker", unitId: grid }]);
    expect((await staffVersion())?.n).toBe(v0 + 6);
    const h = await call("POST", `/v1/users/${leaver.id}/handover`, { token: await admin(), body: { successorId: succ.id } });
    expect(h.status, JSON.stringify(h.body)).toBe(202);
    await queuesIdle();
    expect((await staffVersion())?.n).toBe(v0 + 7);
  });
  it("staff writes at the same time all go through (they meet on the one counter: a transaction conflict is sent again)", async () => {
    const v0 = (await staffVersion())?.n ?? 0;
    const tok = await admin();
    const res = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call("POST", "/v1/users", { token: tok, body: { username: `svpar${i}`, displayName: `并发${i}`, password: DEMO_PASSWORD, assignments: [{ role: "auditor", unitId: rootUnitId }] } })),
    );
    expect(res.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect((await staffVersion())?.n).toBe(v0 + 8);
  });
});

/** worker1 reports, the consumers run; the requests made meanwhile and the case. */
const reportAndConsume = () =>
  watch(async () => {
    const { case: c } = await report("worker1");
    await queuesIdle();
    return c;
  });

describe("notifications with the cache", () => {
  it("a warm consumer answers from kept rows; a user added or removed is seen by the next event; rows read within 10 s of a bump are not kept", async () => {
    await setClock(Date.parse(START) + 3600_000);
    forgetStaffRows();
    // first report: the consumer reads the root's rows (the version's bump is over 10 s old: kept)
    const first = await reportAndConsume();
    expect(staffQueries(first.requests).length).toBeGreaterThan(0);
    expect(await inboxTypes("center", first.result.id)).toEqual(["reported"]);
    // the next report of the same grid: no role-row Query at all
    const warm = await reportAndConsume();
    expect(staffQueries(warm.requests)).toEqual([]);
    expect(await inboxTypes("center", warm.result.id)).toEqual(["reported"]);

    // a dispatcher added: the next report tells them; rows read within 10 s of that bump serve that batch only
    const added = await createUser("cachedisp", [{ role: "dispatcher", unitId: rootUnitId }]);
    const afterAdd = await reportAndConsume();
    expect(staffQueries(afterAdd.requests).length).toBeGreaterThan(0);
    expect(await inboxTypes("cachedisp", afterAdd.result.id)).toEqual(["reported"]);
    const stillLagging = await reportAndConsume();
    expect(staffQueries(stillLagging.requests).length).toBeGreaterThan(0); // provisional: read again
    expect(await inboxTypes("cachedisp", stillLagging.result.id)).toEqual(["reported"]);
    // past the index lag: read once more and kept
    await advanceClock(1);
    const kept = await reportAndConsume();
    expect(staffQueries(kept.requests).length).toBeGreaterThan(0);
    const warmAgain = await reportAndConsume();
    expect(staffQueries(warmAgain.requests)).toEqual([]);
    expect(await inboxTypes("cachedisp", warmAgain.result.id)).toEqual(["reported"]);

    // deactivated: the next report does not tell them
    await patchUser(added.id, { active: false });
    await advanceClock(1);
    const removed = await reportAndConsume();
    expect(staffQueries(removed.requests).length).toBeGreaterThan(0);
    expect(await inboxTypes("cachedisp", removed.result.id)).toEqual([]);
    expect(await inboxTypes("center", removed.result.id)).toEqual(["reported"]);
  });

  it("an event without the staff version (republished by the outbox sweep) reads the rows fresh", async () => {
    await advanceClock(1);
    // warm: the rows are kept
    const { case: c0 } = await report("worker1");
    await queuesIdle();
    const warm = await reportAndConsume();
    expect(staffQueries(warm.requests)).toEqual([]);
    // the event's message is lost (the consumer paused, the message taken off the queue): the sweep republishes its outbox row, unstamped
    await pauseConsumer("events", true);
    let lost: { id: string };
    try {
      lost = (await report("worker1")).case;
      const url = process.env.WANGGE_QUEUE_EVENTS_URL!;
      let taken = 0;
      for (let i = 0; i < 20 && !taken; i++) {
        const out = await testSqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ["All"] }));
        for (const m of out.Messages ?? []) {
          expect(m.MessageAttributes?.staffVersion?.StringValue).toMatch(/^\d+$/); // the API stamped it
          await testSqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
          taken++;
        }
      }
      expect(taken).toBeGreaterThan(0);
    } finally {
      await pauseConsumer("events", false);
    }
    expect(await inboxTypes("center", lost.id)).toEqual([]);
    await advanceClock(1);
    const swept = await watch(async () => {
      const r = (await runJob("outbox-sweep")) as { republished: number };
      await queuesIdle();
      return r;
    });
    expect(swept.result.republished).toBeGreaterThan(0);
    expect(staffQueries(swept.requests).length).toBeGreaterThan(0);
    expect(await inboxTypes("center", lost.id)).toEqual(["reported"]);
    expect(await inboxTypes("center", c0.id)).toEqual(["reported"]);
  });
});

describe("a lone due timer, request by request", () => {
  it("makes 4 requests caused by the timer with a warm consumer, 5 with a cold one", async () => {
    await advanceClock(1);
    const run = async (cold: boolean) => {
      const { case: c } = await report("worker1");
      const accepted = (await must("center", c.id, "accept")).case;
      await queuesIdle();
      // the sweep's own reads of a minute with nothing due (after the 15-minute straggler read): what every minute costs
      await setClock(Date.parse(accepted.timer.dueAt) - 120_000);
      await runJob("timer-sweep");
      await queuesIdle();
      await setClock(Date.parse(accepted.timer.dueAt) - 60_000);
      const idle = await watch(() => runJob("timer-sweep"));
      await setClock(Date.parse(accepted.timer.dueAt) + 30_000);
      if (cold) forgetStaffRows();
      const lone = await watch(async () => {
        const r = (await runJob("timer-sweep")) as { applied: number };
        await queuesIdle();
        return r;
      });
      expect(lone.result.applied).toBe(1);
      const idleSet = [...idle.requests];
      const caused = lone.requests.filter((r) => {
        const at = idleSet.indexOf(r);
        if (at < 0) return true;
        idleSet.splice(at, 1);
        return false;
      });
      return caused;
    };
    const warm = await run(false);
    expect(warm, warm.join("\n")).toHaveLength(4);
    expect(staffQueries(warm)).toEqual([]);
    const cold = await run(true);
    expect(cold, cold.join("\n")).toHaveLength(5);
    expect(staffQueries(cold)).toHaveLength(1);
  });
});
