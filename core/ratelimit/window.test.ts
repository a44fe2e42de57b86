import { describe, it, expect, beforeAll } from "vitest";
import { ulid } from "ulid";
import { useStackEnv } from "../../test/client.ts";
import { RateLimitedError } from "../errors.ts";
import { consume, giveBack, rollingCount, retryAfter, slotMs } from "./window.ts";
import { limitCodeRequest, limitResidentReport } from "../resident/limits.ts";
import { authenticateApiKey, createApiKey } from "../apikey/service.ts";
import type { Principal } from "../auth/principal.ts";

beforeAll(() => useStackEnv());

const at = (iso: string) => new Date(iso);
const fresh = (what: string) => `test-${what}-${ulid()}`;
/** The error a refused call throws (the assertion fails when the call is accepted). */
async function refused(p: Promise<unknown>): Promise<RateLimitedError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RateLimitedError);
  return e as RateLimitedError;
}

describe("rolling windows (pure)", () => {
  it("does not count a finished slot whose last acceptance left the window", () => {
    const w = 60_000;
    const width = slotMs(60);
    expect(width).toBe(1000);
    const slots = [{ start: 59_000, n: 1, last: 59_400 }];
    expect(rollingCount(slots, 119_399, w, width)).toBe(1);
    expect(rollingCount(slots, 119_400, w, width)).toBe(0);
    expect(retryAfter(slots, 61_000, w, 1)).toBe(59);
  });
});

describe("rolling windows (DynamoDB)", () => {
  it("refuses a second code for a phone two seconds later across a calendar minute, and allows it 60 s after the first", async () => {
    const phone = fresh("phone");
    await limitCodeRequest(phone, "10.9.0.1", at("2026-03-02T04:00:59.000Z"));
    const e = await refused(limitCodeRequest(phone, "10.9.0.2", at("2026-03-02T04:01:01.000Z")));
    expect(e.retryAfterSeconds).toBe(58);
    await refused(limitCodeRequest(phone, "10.9.0.3", at("2026-03-02T04:01:58.999Z")));
    await limitCodeRequest(phone, "10.9.0.4", at("2026-03-02T04:01:59.000Z"));
  });

  it("counts five codes per phone over any hour, across a calendar hour", async () => {
    const phone = fresh("phone");
    for (const m of [55, 56, 57, 58, 59]) await limitCodeRequest(phone, `10.9.1.${m}`, at(`2026-03-02T04:${m}:00.000Z`));
    // a fixed window would start afresh at 05:00
    const e = await refused(limitCodeRequest(phone, "10.9.1.1", at("2026-03-02T05:00:30.000Z")));
    expect(e.retryAfterSeconds).toBe(3270);
    await refused(limitCodeRequest(phone, "10.9.1.2", at("2026-03-02T05:53:59.000Z")));
    // (the refused attempt at 05:53:59 took this phone's minute window)
    await limitCodeRequest(phone, "10.9.1.3", at("2026-03-02T05:55:00.000Z"));
  });

  it("counts twenty reports per resident over any 24 hours, across midnight", async () => {
    const resident: Principal = { kind: "resident", id: fresh("resident") };
    for (let i = 0; i < 20; i++) await limitResidentReport(resident, `10.9.2.${i}`, at(`2026-03-02T23:${String(30 + i).padStart(2, "0")}:00.000Z`));
    await refused(limitResidentReport(resident, "10.9.2.100", at("2026-03-03T00:10:00.000Z")));
    await refused(limitResidentReport(resident, "10.9.2.101", at("2026-03-03T23:29:00.000Z")));
    // day slots are 24 minutes wide: the slot holding 23:30–23:35 counts until its last report leaves
    await refused(limitResidentReport(resident, "10.9.2.102", at("2026-03-03T23:34:59.000Z")));
    await limitResidentReport(resident, "10.9.2.103", at("2026-03-03T23:35:00.000Z"));
  });

  it("limits an API key per rolling minute, across a calendar minute", async () => {
    const county: Principal = { kind: "user", id: "test-admin", username: "test-admin", assignments: [{ role: "county_admin", unitId: "county", unitPath: "/county/" }] };
    const { key } = await createApiKey(county, { name: "rolling", permissions: ["cases:read"], rateLimitPerMinute: 2 }, at("2026-03-02T04:00:00Z"));
    await authenticateApiKey(key, at("2026-03-02T04:00:58.000Z"));
    await authenticateApiKey(key, at("2026-03-02T04:00:59.000Z"));
    await refused(authenticateApiKey(key, at("2026-03-02T04:01:00.500Z")));
    await refused(authenticateApiKey(key, at("2026-03-02T04:01:57.900Z")));
    await authenticateApiKey(key, at("2026-03-02T04:01:58.000Z"));
  });

  it("gives back exactly the units a request took, leaving the others' in the same slot counted", async () => {
    const bucket = fresh("refund");
    const now = at("2026-03-02T04:20:00.000Z");
    const mine = await consume(bucket, 3, 60, now);
    await consume(bucket, 3, 60, now);
    await consume(bucket, 3, 60, now);
    await refused(consume(bucket, 3, 60, now));
    await giveBack([mine]);
    // one unit back: exactly one more fits, the other two still count
    await consume(bucket, 3, 60, now);
    await refused(consume(bucket, 3, 60, now));
  });

  it("gives back several buckets together or not at all, never below zero", async () => {
    const a = fresh("refund-a");
    const b = fresh("refund-b");
    const now = at("2026-03-02T04:21:00.000Z");
    const ta = await consume(a, 1, 60, now);
    const tb = await consume(b, 1, 3600, now);
    await giveBack([ta, tb]);
    // a second give-back of the same units would take the slots below zero: refused as a whole
    await expect(giveBack([ta, tb])).rejects.toThrow();
    const ta2 = await consume(a, 1, 60, now);
    await consume(b, 1, 3600, now);
    await refused(consume(a, 1, 60, now));
    await refused(consume(b, 1, 3600, now));
    // b's slot is at one, a's at one: giving back a and an untouched bucket changes neither
    await expect(giveBack([ta2, { bucket: fresh("never-taken"), slot: ta2.slot }])).rejects.toThrow();
    await refused(consume(a, 1, 60, now));
  });

  it("lets exactly the limit through when many containers take the same bucket at once", async () => {
    const bucket = fresh("burst");
    const now = at("2026-03-02T04:10:00.000Z");
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => consume(bucket, 5, 60, now)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(results.filter((r) => r.status === "rejected" && r.reason instanceof RateLimitedError)).toHaveLength(7);
  });
});
