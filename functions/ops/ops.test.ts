import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { randomUUID } from "node:crypto";
import { call } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";
import { deadLetter, dlqDepth, pauseConsumer, takeFromQueue } from "../../test/deadletter.ts";

// the exports queue: few deliveries in other tests; its consumer is paused only while this file handles its message
const QUEUE = "exports";

let admin: string;
let auditor: string;

beforeAll(async () => {
  admin = await adminToken();
  auditor = await tokenFor("auditor");
});

afterAll(async () => {
  await pauseConsumer(QUEUE, false);
});

describe("operations: dead-lettered messages sent back for processing", () => {
  it("moves a message that really went to the DLQ back to its queue, audited", async () => {
    const body = JSON.stringify({ test: "redrive", id: randomUUID() });
    await pauseConsumer(QUEUE, true);
    await deadLetter(QUEUE, body);
    const inDlq = await dlqDepth(QUEUE);
    expect(inDlq).toBeGreaterThanOrEqual(1);

    const seen = await call("GET", "/v1/ops/queues", { token: admin });
    expect(seen.status).toBe(200);
    expect(seen.body.items.find((q: any) => q.queue === QUEUE).deadLetters).toBe(inDlq);

    // the auditor reads operations but may not redrive; bad input is a 400, an unknown queue a 404
    expect((await call("POST", `/v1/ops/queues/${QUEUE}/redrive`, { token: auditor, body: {} })).status).toBe(403);
    const bad = await call("POST", `/v1/ops/queues/${QUEUE}/redrive`, { token: admin, body: { max: "all" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toBe("max");
    expect((await call("POST", "/v1/ops/queues/nope/redrive", { token: admin, body: {} })).status).toBe(404);

    const r = await call("POST", `/v1/ops/queues/${QUEUE}/redrive`, { token: admin, body: {} });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ queue: QUEUE, moved: inDlq, remaining: false });
    expect(await dlqDepth(QUEUE)).toBe(0);
    // the same message (body) is on the source queue again; take it before the consumer resumes
    expect(await takeFromQueue(QUEUE, body)).toBe(body);

    // a retry of the request finds nothing left and moves nothing
    const again = await call("POST", `/v1/ops/queues/${QUEUE}/redrive`, { token: admin, body: {} });
    expect(again.body).toEqual({ queue: QUEUE, moved: 0, remaining: false });

    const audit = await call("GET", `/v1/audit?entity=queue&entityId=${QUEUE}&limit=10`, { token: admin });
    expect(audit.status).toBe(200);
    const entry = audit.body.items.find((e: any) => e.action === "ops.redrive" && e.summary.includes(`sent ${inDlq} `));
    expect(entry).toMatchObject({ actor: { kind: "user", name: "admin" }, entity: "queue", entityId: QUEUE });
  });
});
