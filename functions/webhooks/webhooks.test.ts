import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { call, queuesIdle, useStackEnv } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { report } from "../../test/cases.ts";
import { ManualClock, useClock } from "../../core/clock.ts";
import { resetDb } from "../../core/db/client.ts";
import { verifySignature } from "../../core/webhook/sign.ts";
import { deliverToWebhooks, forgetActiveWebhooks } from "../../core/webhook/enqueue.ts";
import type { DomainEvent } from "../../core/case/repo.ts";
import { startPoller, type Poller } from "../../local/poller.ts";
import { queues } from "../queues.ts";

// ------------------------------------------------------------------ a partner's receiver

interface Hit {
  at: number;
  headers: Record<string, string>;
  body: string;
  json: any;
  status: number;
}

/** A tiny partner endpoint on 127.0.0.1 (free port). `respond` picks the status of each request. */
async function receiver(respond: (h: Omit<Hit, "status">, hits: Hit[]) => number = () => 200) {
  const hits: Hit[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let json: any;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const h = { at: Date.now(), headers, body, json };
      const status = respond(h, hits);
      hits.push({ ...h, status });
      res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "receiver is down");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/wangge`,
    hits,
    of: (deliveryId: string) => hits.filter((h) => h.headers["x-wangge-delivery"] === deliveryId),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

// ------------------------------------------------------------------ helpers

const created: string[] = [];
const receivers: Array<{ close(): Promise<void> }> = [];

async function createHook(body: Record<string, unknown>) {
  const r = await call("POST", "/v1/webhooks", { token: await tokenFor("admin"), body });
  if (r.status !== 201) throw new Error(`create webhook: ${r.status} ${JSON.stringify(r.body)}`);
  created.push(r.body.id);
  return r.body as { id: string; secret: string; version: number; [k: string]: unknown };
}

async function deliveries(id: string, query = "") {
  const r = await call("GET", `/v1/webhooks/${id}/deliveries${query}`, { token: await tokenFor("admin") });
  expect(r.status).toBe(200);
  return r.body.items as any[];
}

/** Stop a subscription (tests share the stack: a "*" subscription would otherwise get every later event). */
async function deactivate(id: string) {
  const token = await tokenFor("admin");
  const cur = await call("GET", `/v1/webhooks/${id}`, { token });
  expect(cur.body).toMatchObject({ active: true });
  expect((await call("PATCH", `/v1/webhooks/${id}`, { token, body: { version: cur.body.version, active: false } })).status).toBe(200);
}

const stackNowSeconds = async () => Math.floor(Date.parse((await call("GET", "/_local/clock")).body.now) / 1000);

/** A hand-made domain event (a case that does not exist: webhooks never read the case). */
function handMade(type: string): DomainEvent {
  const caseId = `whtest-${randomUUID()}`;
  const at = new Date().toISOString();
  return {
    id: `${caseId}:1:0`, type, action: "comment", from: "dispatched", to: "dispatched", actor: { kind: "system", id: "webhook-test" }, at, version: 1, seq: 0,
    data: { reason: "test", notify: [{ kind: "role", role: "dispatcher" }] },
    caseId, caseNumber: "2099-000001", categoryId: "cat-env-garbage", unitId: "unit-x", unitPath: "/unit-x/", owner: { kind: "unit", id: "unit-x" },
    reporter: { kind: "user", id: "someone" }, urgent: false, flags: {}, deadlines: {}, createdAt: at,
  } as unknown as DomainEvent;
}

// A private webhooks queue + poller in THIS process: the consumer runs here with this process's
// environment, so the backoff base can be set small (the stack's own consumer keeps the default).
let privateQueue: { sqs: SQSClient; url: string; poller: Poller } | undefined;

beforeAll(async () => {
  useStackEnv();
  resetDb();
  const clock = new ManualClock();
  clock.set(new Date((await stackNowSeconds()) * 1000));
  useClock(clock);
  const sqs = new SQSClient({ endpoint: process.env.AWS_ENDPOINT_URL_SQS, region: process.env.AWS_REGION, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: `webhooks-test-${process.pid}`, Attributes: { VisibilityTimeout: "60" } }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  const def = queues.find((q) => q.name === "webhooks")!;
  process.env.WANGGE_QUEUE_WEBHOOKS_URL = url;
  privateQueue = { sqs, url, poller: startPoller(sqs, [{ ...def, url, arn }], process.env.AWS_REGION!) };
});

afterAll(async () => {
  // deactivate every subscription made here, so later events of other tests do not reach closed receivers
  // cleanup, not an assertion: the tests already deactivated some of them (deactivate refuses an inactive one)
  for (const id of created) await deactivate(id).catch(() => undefined);
  await privateQueue?.poller.stop();
  await privateQueue?.sqs.send(new DeleteQueueCommand({ QueueUrl: privateQueue.url })).catch(() => undefined); // cleanup: the queue may already be gone
  privateQueue?.sqs.destroy();
  await Promise.all(receivers.map((r) => r.close()));
});

// ------------------------------------------------------------------ tests

describe("webhook subscriptions (CRUD)", () => {
  it("lets only holders of webhooks:manage in: a grid worker and an auditor get 403", async () => {
    for (const who of ["worker1", "auditor"]) {
      const token = await tokenFor(who);
      expect((await call("GET", "/v1/webhooks", { token })).status).toBe(403);
      expect((await call("POST", "/v1/webhooks", { token, body: { name: "x", url: "https://partner.example.com/h", eventTypes: ["*"] } })).status).toBe(403);
    }
    expect((await call("GET", "/v1/webhooks")).status).toBe(401);
  });

  it("refuses invalid URLs and event types with 400 naming the field", async () => {
    const token = await tokenFor("admin");
    for (const url of ["http://partner.example.com/h", "ftp://partner.example.com/h", "https://10.0.0.8/h", "https://169.254.169.254/latest", "https://u:p@partner.example.com/h", "nonsense"]) {
      const r = await call("POST", "/v1/webhooks", { token, body: { name: "bad", url, eventTypes: ["*"] } });
      expect(r.status, url).toBe(400);
      expect(r.body.error.details.fields.map((f: any) => f.path)).toContain("url");
    }
    const types = await call("POST", "/v1/webhooks", { token, body: { name: "bad", url: "https://partner.example.com/h", eventTypes: ["exploded"] } });
    expect(types.status).toBe(400);
    expect(types.body.error.details.fields[0].path).toMatch(/^eventTypes/);
    const none = await call("POST", "/v1/webhooks", { token, body: { name: "bad", url: "https://partner.example.com/h", eventTypes: [] } });
    expect(none.status).toBe(400);
  });

  it("shows the secret only at creation and rotation, versions every change, audits without the secret", async () => {
    const token = await tokenFor("admin");
    const hook = await createHook({ name: "12345 热线", url: "https://partner.example.com/h", eventTypes: ["closed", "reported", "closed"] });
    expect(hook).toMatchObject({ active: true, version: 1, eventTypes: ["closed", "reported"], secretHint: `…${hook.secret.slice(-4)}` });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    const got = await call("GET", `/v1/webhooks/${hook.id}`, { token });
    expect(got.status).toBe(200);
    expect(got.body.secret).toBeUndefined();
    const list = await call("GET", "/v1/webhooks?limit=200", { token });
    expect(list.body.items.find((w: any) => w.id === hook.id)).toBeDefined();
    expect(JSON.stringify(list.body)).not.toContain(hook.secret);

    const stale = await call("PATCH", `/v1/webhooks/${hook.id}`, { token, body: { version: 7, name: "x" } });
    expect(stale.status).toBe(409);
    const patched = await call("PATCH", `/v1/webhooks/${hook.id}`, { token, body: { version: 1, name: "热线平台", eventTypes: ["*", "closed"] } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: "热线平台", eventTypes: ["*"], version: 2 });
    expect((await call("PATCH", `/v1/webhooks/${hook.id}`, { token, body: { version: 2, url: "http://partner.example.com/h" } })).status).toBe(400);

    const rotated = await call("POST", `/v1/webhooks/${hook.id}/rotate-secret`, { token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    expect(rotated.body.version).toBe(3);

    expect((await call("GET", `/v1/webhooks/NOPE`, { token })).status).toBe(404);
    expect((await call("GET", `/v1/webhooks/NOPE/deliveries`, { token })).status).toBe(404);

    const audit = await call("GET", `/v1/audit?entity=webhook&entityId=${hook.id}&limit=200`, { token });
    expect(audit.body.items.map((a: any) => a.action).sort()).toEqual(["webhook.create", "webhook.rotate-secret", "webhook.update"]);
    const text = JSON.stringify(audit.body);
    expect(text).not.toContain(hook.secret);
    expect(text).not.toContain(rotated.body.secret);
    await deactivate(hook.id); // it points at a host that does not answer
    expect((await call("GET", `/v1/webhooks/${hook.id}`, { token })).body).toMatchObject({ active: false, version: 4 });
  });
});

describe("webhook deliveries through the stack", () => {
  it("POSTs a reported case to the subscriber with a valid signature, and nothing to a subscriber of other types", async () => {
    const rx = await receiver();
    receivers.push(rx);
    const hook = await createHook({ name: "partner A", url: rx.url, eventTypes: ["reported"] });
    const other = await createHook({ name: "partner B", url: rx.url, eventTypes: ["closed"] });
    const before = await stackNowSeconds();
    const { case: c } = await report("worker1", { description: "webhook 测试：垃圾堆积" });
    await queuesIdle();
    const after = await stackNowSeconds();

    const deliveryId = `${hook.id}:${c.id}:1:0`;
    const [hit] = rx.of(deliveryId);
    expect(hit, "the receiver got the delivery").toBeDefined();
    expect(hit.headers).toMatchObject({ "content-type": "application/json", "x-wangge-event": "reported", "x-wangge-delivery": deliveryId, "x-wangge-attempt": "1" });
    const ts = Number(hit.headers["x-wangge-timestamp"]);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(after);
    expect(verifySignature({ secret: hook.secret, body: hit.body, timestamp: hit.headers["x-wangge-timestamp"], signature: hit.headers["x-wangge-signature"], nowSeconds: ts })).toBe(true);
    expect(verifySignature({ secret: other.secret, body: hit.body, timestamp: hit.headers["x-wangge-timestamp"], signature: hit.headers["x-wangge-signature"], nowSeconds: ts })).toBe(false);
    expect(hit.json).toMatchObject({ id: deliveryId, type: "reported", occurredAt: c.createdAt, data: { caseId: c.id, caseNumber: c.number, to: "reported", unitId: c.unitId } });
    for (const internal of ["notify", "unitPath", "deadlines", "reporter"]) expect(hit.body).not.toContain(`"${internal}"`);

    expect(rx.hits.filter((h) => h.headers["x-wangge-delivery"]?.startsWith(`${other.id}:${c.id}`))).toHaveLength(0);
    const log = await deliveries(hook.id);
    expect(log.find((d) => d.id === deliveryId)).toMatchObject({ status: "succeeded", attempts: 1, eventType: "reported", caseId: c.id, lastAttempt: { n: 1, statusCode: 200, durationMs: expect.any(Number) } });
    expect((await deliveries(other.id)).find((d) => d.caseId === c.id)).toBeUndefined();
  });
});

describe("webhook retries (consumer in this process, backoff base from this process's env)", () => {
  it("retries a receiver that fails twice, with real SQS delays of 1 s then 2 s, and records each attempt", async () => {
    process.env.WANGGE_WEBHOOK_BACKOFF_BASE_SECONDS = "1";
    const e = handMade("supervision_reminder");
    const rx = await receiver((h, hits) => (h.json?.data?.caseId === e.caseId && hits.filter((x) => x.json?.data?.caseId === e.caseId).length < 2 ? 503 : 200));
    receivers.push(rx);
    const hook = await createHook({ name: "flaky partner", url: rx.url, eventTypes: ["supervision_reminder"] });
    forgetActiveWebhooks();
    await deliverToWebhooks(e);
    await privateQueue!.poller.idle(30_000);

    const deliveryId = `${hook.id}:${e.id}`;
    const mine = rx.of(deliveryId);
    expect(mine.map((h) => h.status)).toEqual([503, 503, 200]);
    expect(mine.map((h) => h.headers["x-wangge-attempt"])).toEqual(["1", "2", "3"]);
    expect(mine[1].at - mine[0].at).toBeGreaterThanOrEqual(900);
    expect(mine[2].at - mine[1].at).toBeGreaterThanOrEqual(1900);
    for (const h of mine) {
      expect(verifySignature({ secret: hook.secret, body: h.body, timestamp: h.headers["x-wangge-timestamp"], signature: h.headers["x-wangge-signature"], nowSeconds: Number(h.headers["x-wangge-timestamp"]) })).toBe(true);
    }
    const [d] = (await deliveries(hook.id)).filter((x) => x.id === deliveryId);
    expect(d).toMatchObject({ status: "succeeded", attempts: 3 });
    expect(d.history.map((a: any) => [a.n, a.statusCode])).toEqual([[1, 503], [2, 503], [3, 200]]);
    expect(d.history[0]).toMatchObject({ error: "HTTP 503", response: "receiver is down" });
  });

  it("creates one delivery and one POST for an event that arrives twice, signed with the rotated secret", async () => {
    process.env.WANGGE_WEBHOOK_BACKOFF_BASE_SECONDS = "0";
    const rx = await receiver();
    receivers.push(rx);
    const hook = await createHook({ name: "dup partner", url: rx.url, eventTypes: ["*"] });
    const rotated = await call("POST", `/v1/webhooks/${hook.id}/rotate-secret`, { token: await tokenFor("admin") });
    const e = handMade("extension_requested");
    forgetActiveWebhooks();
    await deliverToWebhooks(e);
    await deliverToWebhooks(e);
    await privateQueue!.poller.idle(30_000);
    await deliverToWebhooks(e); // again, after it was delivered
    await privateQueue!.poller.idle(30_000);

    const deliveryId = `${hook.id}:${e.id}`;
    expect(rx.of(deliveryId)).toHaveLength(1);
    expect((await deliveries(hook.id)).filter((d) => d.eventId === e.id)).toHaveLength(1);
    const [h] = rx.of(deliveryId);
    const check = (secret: string) => verifySignature({ secret, body: h.body, timestamp: h.headers["x-wangge-timestamp"], signature: h.headers["x-wangge-signature"], nowSeconds: Number(h.headers["x-wangge-timestamp"]) });
    expect(check(rotated.body.secret)).toBe(true);
    expect(check(hook.secret)).toBe(false);
    expect(h.json.data).toMatchObject({ eventId: e.id, details: { reason: "test" } });
    expect(h.json.data.details.notify).toBeUndefined();
    await deactivate(hook.id);
  });

  it("marks a delivery failed after 6 attempts; redeliver (through the stack) sends it again and it succeeds", async () => {
    process.env.WANGGE_WEBHOOK_BACKOFF_BASE_SECONDS = "0";
    let down = true;
    const e = handMade("extension_refused");
    const rx = await receiver((h) => (down && h.json?.data?.caseId === e.caseId ? 500 : 204));
    receivers.push(rx);
    const hook = await createHook({ name: "dead partner", url: rx.url, eventTypes: ["extension_refused"] });
    forgetActiveWebhooks();
    await deliverToWebhooks(e);
    await privateQueue!.poller.idle(30_000);

    const deliveryId = `${hook.id}:${e.id}`;
    expect(rx.of(deliveryId).map((h) => h.status)).toEqual([500, 500, 500, 500, 500, 500]);
    let [d] = (await deliveries(hook.id, "?status=failed")).filter((x) => x.id === deliveryId);
    expect(d).toMatchObject({ status: "failed", attempts: 6, lastAttempt: { n: 6, statusCode: 500 }, completedAt: expect.any(String) });
    expect(d.nextAttemptAt).toBeUndefined();

    const token = await tokenFor("admin");
    expect((await call("POST", `/v1/webhooks/${hook.id}/deliveries/${encodeURIComponent(`${hook.id}:nope:1:0`)}/redeliver`, { token })).status).toBe(404);
    expect((await call("POST", `/v1/webhooks/${created[0]}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { token })).status).toBe(404);
    expect((await call("POST", `/v1/webhooks/${hook.id}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { token: await tokenFor("worker1") })).status).toBe(403);

    down = false;
    const again = await call("POST", `/v1/webhooks/${hook.id}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { token });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: "pending", redeliveries: 1 });
    await queuesIdle();
    expect(rx.of(deliveryId).map((h) => h.status)).toEqual([500, 500, 500, 500, 500, 500, 204]);
    expect(rx.of(deliveryId).at(-1)!.headers["x-wangge-attempt"]).toBe("7");
    [d] = (await deliveries(hook.id)).filter((x) => x.id === deliveryId);
    expect(d).toMatchObject({ status: "succeeded", attempts: 7, roundStart: 6, redeliveries: 1, lastAttempt: { n: 7, statusCode: 204 } });
    const audit = await call("GET", `/v1/audit?entity=webhook&entityId=${hook.id}&limit=200`, { token });
    expect(audit.body.items.map((a: any) => a.action)).toContain("webhook.redeliver");
  });

  it("skips a scheduled retry once the subscription is deactivated", async () => {
    process.env.WANGGE_WEBHOOK_BACKOFF_BASE_SECONDS = "2";
    const e = handMade("resumed");
    const rx = await receiver((h) => (h.json?.data?.caseId === e.caseId ? 503 : 200));
    receivers.push(rx);
    const hook = await createHook({ name: "leaving partner", url: rx.url, eventTypes: ["resumed"] });
    forgetActiveWebhooks();
    await deliverToWebhooks(e);
    const deliveryId = `${hook.id}:${e.id}`;
    for (let i = 0; i < 100 && rx.of(deliveryId).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(rx.of(deliveryId)).toHaveLength(1);
    await deactivate(hook.id); // before the retry, due 2 s after the failure
    await privateQueue!.poller.idle(30_000);
    expect(rx.of(deliveryId)).toHaveLength(1);
    const [d] = (await deliveries(hook.id)).filter((x) => x.id === deliveryId);
    expect(d).toMatchObject({ status: "skipped", attempts: 1, lastError: "subscription inactive" });
    const again = await call("POST", `/v1/webhooks/${hook.id}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { token: await tokenFor("admin") });
    expect(again.status).toBe(409);
  });

  it("lists a subscription's deliveries newest first and stops delivering once it is inactive", async () => {
    process.env.WANGGE_WEBHOOK_BACKOFF_BASE_SECONDS = "0";
    const rx = await receiver();
    receivers.push(rx);
    const hook = await createHook({ name: "log partner", url: rx.url, eventTypes: ["deferred"] });
    const events = [handMade("deferred"), handMade("deferred"), handMade("deferred")];
    forgetActiveWebhooks();
    for (const e of events) {
      await deliverToWebhooks(e);
      await new Promise((r) => setTimeout(r, 5)); // distinct creation times
    }
    await privateQueue!.poller.idle(30_000);
    const mine = (await deliveries(hook.id)).filter((d) => events.some((e) => e.id === d.eventId));
    expect(mine.map((d) => d.eventId)).toEqual(events.map((e) => e.id).reverse());
    const page = await deliveries(hook.id, "?limit=1");
    expect(page).toHaveLength(1);

    const token = await tokenFor("admin");
    const off = await call("PATCH", `/v1/webhooks/${hook.id}`, { token, body: { version: 1, active: false } });
    expect(off.body.active).toBe(false);
    forgetActiveWebhooks();
    const late = handMade("deferred");
    await deliverToWebhooks(late);
    await privateQueue!.poller.idle(30_000);
    expect((await deliveries(hook.id)).find((d) => d.eventId === late.id)).toBeUndefined();
    expect(rx.hits.find((h) => h.json?.data?.eventId === late.id)).toBeUndefined();
  });
});
