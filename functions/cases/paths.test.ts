import { describe, it, expect } from "vitest";
import { act, as, expectStatus, must, report } from "../../test/api.ts";

/** Over the typed client (test/api.ts): every path and body here is checked against the OpenAPI document. */
const get = async (id: string, who = "center") => expectStatus(await as(who).GET("/v1/cases/{id}", { params: { path: { id } } }), 200);

describe("paths of the case loop", () => {
  it("closes a small matter resolved on the spot by the grid worker", async () => {
    const up = expectStatus(await as("worker1").POST("/v1/uploads", { body: { contentType: "image/jpeg", size: 4, tag: "after" } }), 201);
    const put = await fetch(up.uploadUrl, { method: "PUT", headers: up.headers, body: new Uint8Array([1, 2, 3, 4]) });
    expect(put.ok).toBe(true);
    const { case: c } = await report("worker1");
    const done = await must("worker1", c.id, "resolve", { note: "已当场处理", attachments: [{ key: up.key }] });
    expect(done.case.state).toBe("closed");
    // the key holds slashes: one path parameter, sent as it is (API Gateway's greedy {key+})
    const dl = expectStatus(await as("center").GET("/v1/cases/{id}/attachments/{key}", { params: { path: { id: c.id, key: up.key } }, pathSerializer: (p, { id, key }) => p.replace("{id}", String(id)).replace("{key}", String(key)) }), 200);
    const photo = await fetch(dl.url);
    expect(new Uint8Array(await photo.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3, 4]));
  });

  it("refuses an attachment that was never uploaded, and types other than images and audio", async () => {
    const { case: c } = await report("worker1");
    const r = await act("worker1", c.id, "comment", { note: "附件", attachments: [{ key: `cases/${c.id}/nothing.jpg` }] });
    expect(r.response.status).toBe(400);
    const worker = as("worker1");
    const bad = await worker.POST("/v1/cases/{id}/attachments", { params: { path: { id: c.id } }, body: { contentType: "application/x-msdownload", size: 10 } });
    expect(bad.response.status).toBe(400);
    const big = await worker.POST("/v1/cases/{id}/attachments", { params: { path: { id: c.id } }, body: { contentType: "image/png", size: 11 * 1024 * 1024 } });
    expect(big.response.status).toBe(400);
  });

  it("sends a wrongly dispatched case back by transfer and re-dispatches it", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    await must("dept1", c.id, "claim");
    const back = await must("dept1", c.id, "transfer", { reason: "不属于城管职责" });
    expect(back.case).toMatchObject({ state: "accepted", counters: { transfers: 1 } });
    const again = await must("center", c.id, "dispatch", { to: { kind: "department", id: "dept-housing" }, reason: "改派住建" });
    expect(again.case.owner).toEqual({ kind: "department", id: "dept-housing" });
    expect((await act("dept1", c.id, "start")).response.status).toBe(403); // dept1 may still see it (it was a candidate) but no longer owns it
    await must("dept2", c.id, "start");
  });

  it("merges a duplicate into the original case", async () => {
    const { case: first } = await report("worker1", { description: "路灯不亮" , categoryId: "cat-facility-light" });
    const second = await report("worker1", { description: "路灯不亮（重复）", categoryId: "cat-facility-light" });
    expect(second.possibleDuplicates?.map((d) => d.id)).toContain(first.id);
    const merged = await must("center", second.case.id, "merge", { intoCaseId: first.id });
    expect(merged.case).toMatchObject({ state: "rejected", rejection: { mergedInto: first.id } });
  });

  it("reopens a closed case that is not really fixed", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    await must("dept1", c.id, "claim");
    await must("dept1", c.id, "handle", { note: "处理" });
    await must("worker1", c.id, "verify", { pass: true });
    await must("worker1", c.id, "evaluate", { level: "satisfied" });
    expect((await get(c.id)).case.state).toBe("closed");
    const reopened = await must("worker1", c.id, "reopen", { reason: "又堆起来了" });
    expect(reopened.case).toMatchObject({ state: "accepted", counters: { reopens: 1 } });
  });

  it("climbs the mediation ladder after two failed mediations at a level", async () => {
    const { case: c } = await report("worker1", { categoryId: "cat-dispute-neighbour", description: "楼上漏水邻里纠纷" });
    const accepted = await must("center", c.id, "accept");
    expect(accepted.case.counters.mediationLevel).toBe(0);
    await must("worker1", c.id, "mediate", { outcome: "failed", note: "第一次调解未果" });
    const up = await must("worker1", c.id, "mediate", { outcome: "failed", note: "第二次调解未果" });
    expect(up.case.counters).toMatchObject({ mediationLevel: 1, mediationAttempts: 0 });
    expect(up.case.flags.escalated).toBe(true);
  });

  it("records a deadline extension request and the center's approval", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    const claimed = await must("dept1", c.id, "claim");
    await must("dept1", c.id, "extend_request", { hours: 24, reason: "需要协调物业" });
    const approved = await must("center", c.id, "extend_approve", {});
    expect(Date.parse(String(approved.case.dueAt))).toBeGreaterThan(Date.parse(String(claimed.case.dueAt)));
  });

  it("answers an action not allowed in the current state with 409 and the allowed actions", async () => {
    const { case: c } = await report("worker1");
    const r = await act("worker1", c.id, "evaluate", { level: "satisfied" });
    expect(r.response.status).toBe(409);
    expect(r.error?.error.details).toMatchObject({ state: "reported" });
  });

  it("returns the original result for a retried action with the same Idempotency-Key", async () => {
    const { case: c } = await report("worker1");
    const first = await act("center", c.id, "accept", {}, { "idempotency-key": `acc-${c.id}` });
    const retry = await act("center", c.id, "accept", {}, { "idempotency-key": `acc-${c.id}` });
    expect(first.response.status).toBe(200);
    expect(retry.response.status).toBe(200);
    expect(retry.data?.case.version).toBe(first.data?.case.version);
    expect(retry.response.headers.get("idempotent-replayed")).toBe("true");
  });
});
