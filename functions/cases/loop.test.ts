import { describe, it, expect } from "vitest";
import { call } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { act, as, expectStatus, must, pointIn, report } from "../../test/api.ts";

/** Over the typed client (test/api.ts): every path and body here is checked against the OpenAPI document. */
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
    const read = expectStatus(await as("center").GET("/v1/cases/{id}", { params: { path: { id } } }), 200);
    expect(read.timeline?.map((e) => e.type)).toEqual(["reported", "accepted", "claim_opened", "claimed", "started", "handled", "verified", "evaluated"]);
    expect(read.timeline?.at(-1)).toMatchObject({ from: "verified", to: "closed" });
  });

  it("returns allowedActions for the caller on every read", async () => {
    const { case: c } = await report("worker1");
    const asCenter = expectStatus(await as("center").GET("/v1/cases/{id}", { params: { path: { id: c.id } } }), 200);
    expect(asCenter.allowedActions).toEqual(expect.arrayContaining(["accept", "reject"]));
    const asDept = expectStatus(await as("dept1").GET("/v1/cases/{id}", { params: { path: { id: c.id } } }), 200);
    expect(asDept.allowedActions).not.toContain("accept");
  });

  it("hides a grid's case from a worker of another grid (404) and refuses their action", async () => {
    const { case: c } = await report("worker1");
    expect((await as("worker2").GET("/v1/cases/{id}", { params: { path: { id: c.id } } })).response.status).toBe(404);
    const refused = await act("worker2", c.id, "comment", { note: "看看" });
    expect(refused.response.status).toBe(404);
    expect(refused.error?.error.code).toBe("not_found");
  });

  it("lets exactly one of 20 concurrent claims win", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    const results = await Promise.all(Array.from({ length: 20 }, () => act("dept1", c.id, "claim")));
    expect(results.filter((r) => r.response.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.response.status !== 200).map((r) => r.response.status)).toEqual(Array(19).fill(409));
  });

  it("creates one case for 50 concurrent reports with the same Idempotency-Key", async () => {
    const location = await pointIn("worker1");
    const worker = as("worker1");
    const body = { categoryId: "cat-env-garbage", description: "重复提交测试", location };
    const results = await Promise.all(Array.from({ length: 50 }, () => worker.POST("/v1/cases", { body, headers: { "idempotency-key": "same-key-50" } })));
    // one report (201), the 49 others replay it (200)
    expect(results.map((r) => r.response.status).sort()).toEqual([...Array(49).fill(200), 201]);
    expect(new Set(results.map((r) => r.data?.case.id)).size).toBe(1);
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
    const r = await as("worker1").POST("/v1/cases", { body: { categoryId: "nope", description: "x", location: await pointIn("worker1") } });
    expect(r.response.status).toBe(400);
    expect((r.error?.error.details as { fields: { path: string }[] }).fields[0].path).toBe("categoryId");
  });

  it("refuses a body the document does not allow (an action's unknown field) with a 400 naming it", async () => {
    const { case: c } = await report("worker1");
    // sent with call(): the typed client would not compile this body
    const r = await call("POST", `/v1/cases/${c.id}/comment`, { token: await tokenFor("worker1"), body: { note: "x", color: "red" } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields).toEqual([expect.objectContaining({ code: "unrecognized_keys" })]);
  });
});
