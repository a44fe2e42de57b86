import { describe, it, expect } from "vitest";
import { call } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { act, must, pointIn, report } from "../../test/cases.ts";

describe("the case loop over HTTP", () => {
  it("walks report → accept → claim → start → handle → verify → evaluate → closed", async () => {
    const reported = await report("worker1");
    expect(reported.case).toMatchObject({ state: "reported", channel: "grid_worker", number: expect.stringMatching(/^\d{4}-\d{6}$/) });
    const id = reported.case.id;
    expect((await must("center", id, "accept")).case.state).toBe("claimable");
    const claimed = await must("dept1", id, "claim");
    expect(claimed.case).toMatchObject({ state: "dispatched", owner: { kind: "department", id: "dept-urban" } });
    await must("dept1", id, "start");
    await must("dept1", id, "handle", { note: "已清运" });
    await must("worker1", id, "verify", { pass: true, note: "现场已清理" });
    const closed = await must("worker1", id, "evaluate", { level: "satisfied" });
    expect(closed.case.state).toBe("closed");
    expect(closed.allowedActions).not.toContain("verify");
    const read = await call("GET", `/v1/cases/${id}`, { token: await tokenFor("center") });
    expect(read.body.timeline.map((e: any) => e.type)).toEqual(["reported", "accepted", "claim_opened", "claimed", "started", "handled", "verified", "evaluated"]);
    expect(read.body.timeline.at(-1)).toMatchObject({ from: "verified", to: "closed" });
  });

  it("returns allowedActions for the caller on every read", async () => {
    const { case: c } = await report("worker1");
    const asCenter = await call("GET", `/v1/cases/${c.id}`, { token: await tokenFor("center") });
    expect(asCenter.body.allowedActions).toEqual(expect.arrayContaining(["accept", "reject"]));
    const asDept = await call("GET", `/v1/cases/${c.id}`, { token: await tokenFor("dept1") });
    expect(asDept.status).toBe(200);
    expect(asDept.body.allowedActions).not.toContain("accept");
  });

  it("hides a grid's case from a worker of another grid (404) and refuses their action", async () => {
    const { case: c } = await report("worker1");
    expect((await call("GET", `/v1/cases/${c.id}`, { token: await tokenFor("worker2") })).status).toBe(404);
    expect((await act("worker2", c.id, "comment", { note: "看看" })).status).toBe(404);
  });

  it("lets exactly one of 20 concurrent claims win", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    const results = await Promise.all(Array.from({ length: 20 }, () => act("dept1", c.id, "claim")));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409)).toBe(true);
  });

  it("creates one case for 50 concurrent reports with the same Idempotency-Key", async () => {
    const location = await pointIn("worker1");
    const token = await tokenFor("worker1");
    const body = { categoryId: "cat-env-garbage", description: "重复提交测试", location };
    const results = await Promise.all(Array.from({ length: 50 }, () => call("POST", "/v1/cases", { token, body, headers: { "idempotency-key": "same-key-50" } })));
    expect(results.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.case.id)).size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it("sends an urgent case straight to the responsible department on accept", async () => {
    const { case: c } = await report("worker1", { categoryId: "cat-safety-fire", description: "楼道堆放杂物堵塞消防通道" });
    expect(c.urgent).toBe(true);
    const accepted = await must("center", c.id, "accept");
    expect(accepted.case).toMatchObject({ state: "dispatched", owner: { kind: "department", id: "dept-police" } });
  });

  it("returns a dissatisfied case to the same department for rework", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    await must("dept1", c.id, "claim");
    await must("dept1", c.id, "handle", { note: "处理完毕" });
    await must("worker1", c.id, "verify", { pass: true });
    const back = await must("worker1", c.id, "evaluate", { level: "dissatisfied", comment: "没清干净" });
    expect(back.case).toMatchObject({ state: "dispatched", owner: { kind: "department", id: "dept-urban" }, flags: { returned: true }, counters: { rework: 1 } });
  });

  it("answers an unknown category with a 400 naming the field", async () => {
    const r = await call("POST", "/v1/cases", { token: await tokenFor("worker1"), body: { categoryId: "nope", description: "x", location: await pointIn("worker1") } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields[0].path).toBe("categoryId");
  });
});

describe("my cases", () => {
  it("lists the cases a grid worker reported or owns with mine=true", async () => {
    const { case: c } = await report("worker1");
    const r = await call("GET", "/v1/cases?mine=true&limit=200", { token: await tokenFor("worker1") });
    expect(r.status).toBe(200);
    expect(r.body.items.every((v: any) => v.case.reporter.id === c.reporter.id || v.case.owner.id === c.reporter.id)).toBe(true);
  });
});
