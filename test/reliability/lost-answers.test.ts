import { describe, it, expect, beforeAll, afterEach } from "vitest";
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { call } from "../client.ts";
import { tokenFor } from "../fixtures.ts";
import { pointIn } from "../cases.ts";
import { ownStack } from "../own-stack.ts";
import { armFaults, disarmFaults, FAULTS_ENV, injectedFaults, LOST_KINDS, type LostKind } from "../../core/faults/inject.ts";
import { queueEnvName } from "../../functions/queues.ts";
import { requestToken } from "../../core/db/request-token.ts";

/**
 * "Applied, but the answer was lost" (issue 17): the write reaches DynamoDB and is applied, then
 * the caller sees a timeout, a reset connection or a 500, and the request is sent again — by the
 * SDK (same serialized request, same ClientRequestToken) or, when every attempt lost its answer,
 * by the client (same Idempotency-Key) or by SQS (the message comes back). For each write path —
 * a report, an action, a timer, a consumer — the effect must happen exactly once and the caller
 * whose write went through must not get a 409 or a 500.
 *
 * Own stack in this process (its handlers use this process's SDK clients, where the faults are
 * armed); WANGGE_FAULTS is set before the stack creates them, with no random faults: every fault
 * here is armed exactly, on the one transaction it is meant for, and of one exact kind (a timeout,
 * a reset connection, a 500 after the write: `armFaults(…, { lost })`), so each test asserts the one
 * outcome of that kind.
 */
process.env[FAULTS_ENV] = "dynamodb:0";
const stack = ownStack({ at: "2026-11-23T01:00:00Z" }); // Monday 09:00 in the county

let raw: DynamoDBDocumentClient;
const SDK_ATTEMPTS = 4; // core/db/client.ts maxAttempts: losing all of them makes the error reach the code
/** "every attempt": more than the SDK's attempts, so an extra attempt under load (a timed-out one retried) is lost too; afterEach disarms the rest */
const EVERY_ATTEMPT = SDK_ATTEMPTS * 10;

beforeAll(async () => {
  const env = stack.get().env;
  const creds = { accessKeyId: "local", secretAccessKey: "local" };
  raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION, credentials: creds }));
  // failed records come back after 1 s instead of a minute
  const sqs = new SQSClient({ endpoint: env.AWS_ENDPOINT_URL_SQS, region: env.AWS_REGION, credentials: creds });
  for (const q of ["events", "timeouts"]) await sqs.send(new SetQueueAttributesCommand({ QueueUrl: env[queueEnvName(q)], Attributes: { VisibilityTimeout: "1" } }));
  sqs.destroy();
});

afterEach(() => {
  expect(disarmFaults()).toBe(0); // every armed fault fired
});

/** Every item of the table (the raw truth, not the API's lists). */
async function scanAll(): Promise<Record<string, any>[]> {
  const out: Record<string, any>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await raw.send(new ScanCommand({ TableName: stack.get().env.WANGGE_TABLE, ExclusiveStartKey: start, ConsistentRead: true }));
    out.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
}

const lostCount = () => [...injectedFaults].filter(([k]) => k.startsWith("dynamodb-lost:")).reduce((n, [, v]) => n + v, 0);
/** The case commit of this case: the transaction that writes its timeline events. */
const caseCommit = (caseId: string) => (body: string) => body.includes(caseId) && body.includes('"CaseEvent"');
const idle = () => stack.get().poller!.idle(60_000);

/**
 * What the caller gets when EVERY attempt of its write lost its answer, by how it was lost. A 500
 * after the write is a storage error the service maps to "unavailable" and then checks its
 * idempotency record (core/case/report.ts), finds its own write and answers it (200, `replayed`).
 * A timeout or reset leaves the service not knowing the outcome: 503 + Retry-After, and the
 * client's retry with the same Idempotency-Key gets the first outcome.
 */
const ALL_LOST: Record<LostKind, { status: number; replayed?: true; code?: "unavailable" }> = {
  timeout: { status: 503, code: "unavailable" },
  reset: { status: 503, code: "unavailable" },
  "500": { status: 200, replayed: true },
};

/** The one outcome expected, compared as one object (status, the error code or `replayed`, Retry-After on a 503). */
function outcome(r: { status: number; body: any; headers: Headers }) {
  return r.status === 503
    ? { status: r.status, code: r.body.error.code, retryAfter: /^\d+$/.test(r.headers.get("retry-after") ?? "") }
    : { status: r.status, replayed: r.body.replayed };
}
const expectedOutcome = (lost: LostKind) => {
  const e = ALL_LOST[lost];
  return e.status === 503 ? { status: 503, code: e.code, retryAfter: true } : { status: e.status, replayed: e.replayed };
};

async function reportAs(user: string, description: string, headers: Record<string, string> = {}) {
  return call("POST", "/v1/cases", { token: await tokenFor(user), headers, body: { categoryId: "cat-env-garbage", description, location: await pointIn(user) } });
}

async function casesDescribed(description: string) {
  return (await scanAll()).filter((i) => i._et === "Case" && i.description === description);
}

async function timelineOf(caseId: string): Promise<Array<{ action: string; version: number; seq: number }>> {
  const r = await call("GET", `/v1/cases/${caseId}`, { token: await tokenFor("admin") });
  expect(r.status).toBe(200);
  return r.body.timeline;
}

const versionsByAction = (timeline: Array<{ action: string; version: number; seq: number }>) =>
  [...new Map(timeline.filter((e) => e.seq === 0).map((e) => [e.version, e.action])).entries()].sort((a, b) => a[0] - b[0]).map(([, a]) => a);

describe("a write applied whose answer was lost", () => {
  it("is what the request token is for: the same transaction again is a success, without its token a failed condition", async () => {
    const pk = `LOST-TOKEN#${randomUUID()}`;
    const items = [{ Put: { TableName: stack.get().env.WANGGE_TABLE, Item: { pk, sk: "META", n: 1 }, ConditionExpression: "attribute_not_exists(pk)" } }];
    await raw.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: requestToken(items) }));
    await raw.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: requestToken(items) })); // the retry of a lost answer
    const again = await raw.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() })).then(
      () => "applied",
      (e: Error) => e.name,
    );
    expect(again).toBe("TransactionCanceledException");
  });

  it.each(LOST_KINDS)("report, answer lost by %s: the SDK's retry of the lost transaction answers 201 and the case exists once", async (lost) => {
    const description = `lost answer report ${lost} ${randomUUID()}`;
    const before = lostCount();
    armFaults("dynamodb-lost", { operation: "TransactWriteItems", match: (b) => b.includes(description), lost });
    const r = await reportAs("worker1", description); // no Idempotency-Key: only the request token protects it
    expect(r.status).toBe(201);
    expect(lostCount()).toBe(before + 1);
    const stored = await casesDescribed(description);
    expect(stored.map((c) => c.id)).toEqual([r.body.case.id]);
    expect(versionsByAction(await timelineOf(r.body.case.id))).toEqual(["report"]);
  });

  it.each(LOST_KINDS)("report, every answer lost by %s: the client gets that kind's one outcome (ALL_LOST), and its retry with the same Idempotency-Key gets the one case", async (lost) => {
    const description = `lost answer report retried ${lost} ${randomUUID()}`;
    const key = randomUUID();
    const before = lostCount();
    armFaults("dynamodb-lost", { operation: "TransactWriteItems", match: (b) => b.includes(description), count: EVERY_ATTEMPT, lost });
    const first = await reportAs("worker1", description, { "idempotency-key": key });
    disarmFaults();
    expect(lostCount() - before).toBe(SDK_ATTEMPTS);
    expect(outcome(first), JSON.stringify(first.body)).toEqual(expectedOutcome(lost));
    const again = await reportAs("worker1", description, { "idempotency-key": key });
    expect(again.status).toBe(200);
    expect(again.body.replayed).toBe(true);
    const stored = await casesDescribed(description);
    expect(stored).toHaveLength(1);
    expect(again.body.case.id).toBe(stored[0].id);
  });

  it.each(LOST_KINDS)("action, answer lost by %s: the SDK's retry answers 200, not 409, and the action is applied once", async (lost) => {
    const r = await reportAs("worker1", `lost answer action ${lost} ${randomUUID()}`);
    expect(r.status).toBe(201);
    const id = r.body.case.id;
    await idle(); // the report's own consumers write the case too: the armed fault is for the accept
    const before = lostCount();
    armFaults("dynamodb-lost", { operation: "TransactWriteItems", match: caseCommit(id), lost });
    const accept = await call("POST", `/v1/cases/${id}/accept`, { token: await tokenFor("center"), body: {} });
    expect(accept.status).toBe(200);
    expect(lostCount()).toBe(before + 1);
    expect(accept.body.case.version).toBe(2);
    expect(versionsByAction(await timelineOf(id))).toEqual(["report", "accept"]);
  });

  it.each(LOST_KINDS)("action, every answer lost by %s: the caller gets that kind's one outcome (ALL_LOST), never a 409, and the retry with the same Idempotency-Key is the first outcome (200)", async (lost) => {
    const r = await reportAs("worker1", `lost answer action retried ${lost} ${randomUUID()}`);
    const id = r.body.case.id;
    const key = randomUUID();
    // the report's own consumers write the case too: let them finish, so every armed fault meets the comment's attempts
    await idle();
    const before = lostCount();
    armFaults("dynamodb-lost", { operation: "TransactWriteItems", match: caseCommit(id), count: EVERY_ATTEMPT, lost });
    const first = await call("POST", `/v1/cases/${id}/comment`, { token: await tokenFor("center"), headers: { "idempotency-key": key }, body: { note: "已知悉" } });
    disarmFaults();
    expect(lostCount() - before).toBe(SDK_ATTEMPTS);
    expect(outcome(first), JSON.stringify(first.body)).toEqual(expectedOutcome(lost));
    const again = await call("POST", `/v1/cases/${id}/comment`, { token: await tokenFor("center"), headers: { "idempotency-key": key }, body: { note: "已知悉" } });
    expect(again.status).toBe(200);
    expect(again.body.replayed).toBe(true);
    expect(versionsByAction(await timelineOf(id))).toEqual(["report", "comment"]);
  });

  it.each(LOST_KINDS)("timer: a timeout whose every attempt lost its answer (by %s) is redelivered and still applied once", async (lost) => {
    const r = await reportAs("worker1", `lost answer timer ${lost} ${randomUUID()}`);
    const id = r.body.case.id;
    await idle();
    const timer = (await scanAll()).find((i) => i._et === "Timer" && i.caseId === id);
    expect(timer?.dueAt).toEqual(expect.any(String));
    stack.get().clock.set(new Date(Date.parse(timer!.dueAt) + 60_000));
    const before = lostCount();
    armFaults("dynamodb-lost", { operation: "TransactWriteItems", match: caseCommit(id), count: SDK_ATTEMPTS, lost });
    await stack.get().scheduler!.run("timer-sweep");
    await idle(); // the failed record came back after 1 s: the case had moved on, nothing more to do
    expect(lostCount()).toBe(before + SDK_ATTEMPTS);
    const actions = versionsByAction(await timelineOf(id));
    expect(actions).toEqual(["report", "timeout"]);
    // the request never got to publish its events: the outbox sweeper does, once
    stack.get().clock.set(new Date(stack.get().clock.now().getTime() + 60_000));
    await stack.get().scheduler!.run("outbox-sweep");
    await idle();
    expect((await scanAll()).filter((i) => String(i.pk).startsWith("OUTBOX#") && i.event?.caseId === id)).toEqual([]);
  });

  it.each(LOST_KINDS)("consumer: an aggregate update whose every attempt lost its answer (by %s) comes back and is counted once", async (lost) => {
    const counters = async () => {
      const out = new Map<string, number>();
      for (const i of await scanAll()) if (i._et === "Aggregate") for (const [k, v] of Object.entries(i)) if (typeof v === "number") out.set(`${i.pk}|${i.sk}|${k}`, v);
      return out;
    };
    const delta = (a: Map<string, number>, b: Map<string, number>) => {
      const out: Record<string, number> = {};
      for (const k of new Set([...a.keys(), ...b.keys()])) if ((b.get(k) ?? 0) !== (a.get(k) ?? 0)) out[k] = (b.get(k) ?? 0) - (a.get(k) ?? 0);
      return out;
    };
    await idle();
    const s0 = await counters();
    const control = await reportAs("worker1", `lost answer consumer control ${randomUUID()}`);
    expect(control.status).toBe(201);
    await idle();
    const s1 = await counters();
    const description = `lost answer consumer ${lost} ${randomUUID()}`;
    // the report itself goes through; the aggregate consumer's transaction for its event loses every answer
    // (the counters' transaction: aggregate updates and the event's processed mark — its outbox row's delete since #16)
    armFaults("dynamodb-lost", { operation: "TransactWriteItems", match: (b) => b.includes('"AGG#') && (b.includes("OUTBOX#") || b.includes("DONE#agg#")) && !b.includes(control.body.case.id), count: SDK_ATTEMPTS, lost });
    const r = await reportAs("worker1", description);
    expect(r.status).toBe(201);
    await idle();
    const s2 = await counters();
    expect(Object.keys(delta(s0, s1)).length).toBeGreaterThan(0);
    expect(delta(s1, s2)).toEqual(delta(s0, s1)); // the same report moved the counters by the same amounts: once
  });
});
