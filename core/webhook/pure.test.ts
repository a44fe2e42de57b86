import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { createHmac } from "node:crypto";
import { urlProblem } from "./url.ts";
import { deliveryHeaders, signature, verifySignature } from "./sign.ts";
import { afterAttempt, backoffBase, backoffSeconds, MAX_ATTEMPTS } from "./retry.ts";
import { deliveryIdOf, matchesType, toPayload } from "./payload.ts";
import type { DomainEvent } from "../case/repo.ts";

describe("webhook URLs", () => {
  it("accepts https to public hosts", () => {
    expect(urlProblem("https://partner.example.com/hooks/wangge?x=1", false)).toBeUndefined();
    expect(urlProblem("https://203.0.113.7:8443/h", false)).toBeUndefined();
  });
  it("refuses http except to loopback on the local stage", () => {
    expect(urlProblem("http://partner.example.com/h", false)).toMatch(/https/);
    expect(urlProblem("http://partner.example.com/h", true)).toMatch(/https/);
    expect(urlProblem("http://127.0.0.1:4000/h", false)).toMatch(/https/);
    expect(urlProblem("http://127.0.0.1:4000/h", true)).toBeUndefined();
    expect(urlProblem("http://localhost:4000/h", true)).toBeUndefined();
    expect(urlProblem("http://[::1]:4000/h", true)).toBeUndefined();
  });
  it("refuses private, link-local and metadata addresses, other schemes, credentials and garbage", () => {
    for (const u of ["https://10.1.2.3/h", "https://192.168.0.1/h", "https://172.20.0.1/h", "https://169.254.169.254/latest", "https://[fd00::1]/h", "https://[::ffff:10.0.0.1]/h", "https://0x7f000001/h", "https://127.0.0.1/h"]) {
      expect(urlProblem(u, false), u).toBeDefined();
    }
    expect(urlProblem("ftp://partner.example.com/h", false)).toMatch(/https/);
    expect(urlProblem("https://user:pw@partner.example.com/h", false)).toMatch(/credentials/);
    expect(urlProblem("not a url", false)).toMatch(/valid/);
  });
});

describe("webhook signatures", () => {
  it("signs `${timestamp}.${body}` with HMAC-SHA256 of the secret, as hex", () => {
    const expected = createHmac("sha256", "whsec_x").update('1700000000.{"a":1}').digest("hex");
    expect(signature("whsec_x", 1700000000, '{"a":1}')).toBe(`sha256=${expected}`);
  });
  it("verifies what it signs and rejects tampering, another secret and old timestamps", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }), (secret, body, ts) => {
        const h = deliveryHeaders({ secret, body, eventType: "reported", deliveryId: "s:e", attempt: 1, now: new Date(ts * 1000) });
        const base = { secret, body, timestamp: h["x-wangge-timestamp"], signature: h["x-wangge-signature"], nowSeconds: ts + 10 };
        expect(verifySignature(base)).toBe(true);
        expect(verifySignature({ ...base, body: body + " " })).toBe(false);
        expect(verifySignature({ ...base, secret: secret + "x" })).toBe(false);
        expect(verifySignature({ ...base, nowSeconds: ts + 301 })).toBe(false);
      }),
    );
  });
});

describe("webhook retry policy", () => {
  it("waits min(900, 2^n × base) after failed attempt n of a round", () => {
    expect([0, 1, 2, 3, 4].map((n) => backoffSeconds(n, 5))).toEqual([5, 10, 20, 40, 80]);
    fc.assert(fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 900 }), (n, base) => {
      const d = backoffSeconds(n, base);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(900);
      expect(backoffSeconds(n + 1, base)).toBeGreaterThanOrEqual(d);
    }));
  });
  it("retries a failure until the round had MAX_ATTEMPTS (6), then gives up; success ends at once", () => {
    expect(afterAttempt(true, 1, 5)).toEqual({ status: "succeeded" });
    expect(afterAttempt(false, 1, 5)).toEqual({ status: "pending", retryInSeconds: 5 });
    expect(afterAttempt(false, 2, 5)).toEqual({ status: "pending", retryInSeconds: 10 });
    expect(afterAttempt(false, MAX_ATTEMPTS - 1, 5).status).toBe("pending");
    expect(afterAttempt(false, MAX_ATTEMPTS, 5)).toEqual({ status: "failed" });
  });
  it("reads the backoff base from the environment at call time (default 5, invalid → 5)", () => {
    expect(backoffBase({})).toBe(5);
    expect(backoffBase({ WANGGE_WEBHOOK_BACKOFF_BASE_SECONDS: "0" })).toBe(0);
    expect(backoffBase({ WANGGE_WEBHOOK_BACKOFF_BASE_SECONDS: "1.5" })).toBe(1.5);
    expect(backoffBase({ WANGGE_WEBHOOK_BACKOFF_BASE_SECONDS: "-3" })).toBe(5);
    expect(backoffBase({ WANGGE_WEBHOOK_BACKOFF_BASE_SECONDS: "soon" })).toBe(5);
  });
});

describe("webhook payloads", () => {
  const e = {
    id: "c1:1:0", type: "reported", action: "report", from: null, to: "reported", actor: { kind: "user", id: "u1" }, at: "2025-03-01T02:00:00.000Z",
    version: 1, seq: 0, note: "垃圾堆积", attachments: [{ key: "cases/c1/a.jpg", kind: "photo" }],
    data: { channel: "grid_worker", notify: [{ kind: "role", role: "dispatcher" }] },
    caseId: "c1", caseNumber: "2025-000001", categoryId: "cat-env-garbage", unitId: "g1", unitPath: "/r/s/c/g1/",
    owner: { kind: "unit", id: "g1" }, reporter: { kind: "resident", id: "r-9" }, urgent: false, flags: {}, deadlines: { accept: "2025-03-01T04:00:00.000Z" }, createdAt: "2025-03-01T02:00:00.000Z",
  } as unknown as DomainEvent;

  it("publishes the event without internal fields", () => {
    const p = toPayload(deliveryIdOf("W1", e.id), e);
    expect(p).toMatchObject({ id: "W1:c1:1:0", type: "reported", occurredAt: e.at });
    expect(p.data).toMatchObject({ eventId: "c1:1:0", caseId: "c1", caseNumber: "2025-000001", unitId: "g1", from: null, to: "reported", details: { channel: "grid_worker" } });
    const json = JSON.stringify(p);
    for (const internal of ["notify", "unitPath", "/r/s/c/g1/", "cases/c1/a.jpg", "r-9", "deadlines", "seq"]) expect(json).not.toContain(internal);
  });
  it("matches event types by name or *", () => {
    expect(matchesType(["*"], "closed")).toBe(true);
    expect(matchesType(["reported", "closed"], "closed")).toBe(true);
    expect(matchesType(["reported"], "closed")).toBe(false);
  });
});
