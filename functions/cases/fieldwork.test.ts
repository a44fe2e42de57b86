import { describe, it, expect } from "vitest";
import { call } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { act, must, report } from "../../test/cases.ts";

/** A grid worker's own reports (the desk's 我上报的) and who may reopen a closed case. */
async function reportedByMe(username: string, extra = ""): Promise<Array<{ case: { id: string; state: string; reporter: { id: string } } }>> {
  const r = await call("GET", `/v1/cases?reportedByMe=true&limit=50${extra}`, { token: await tokenFor(username) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.items;
}

async function close(id: string) {
  await must("center", id, "accept");
  await must("dept1", id, "claim");
  await must("dept1", id, "handle", { note: "已处理" });
  await must("worker1", id, "verify", { pass: true });
  await must("worker1", id, "evaluate", { level: "satisfied" });
}

describe("a grid worker's own reports", () => {
  it("lists what the caller reported, newest first, open and closed, and nothing reported by others", async () => {
    const first = (await report("worker1", { description: "自己上报的第一件" })).case;
    const second = (await report("worker1", { description: "自己上报的第二件" })).case;
    await close(first.id);
    const mine = await reportedByMe("worker1");
    const ids = mine.map((v) => v.case.id);
    expect(ids).toContain(first.id);
    expect(ids).toContain(second.id);
    const times = mine.map((v) => (v.case as unknown as { createdAt: string }).createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(mine.find((v) => v.case.id === first.id)!.case.state).toBe("closed");
    const me = await call("GET", "/v1/me", { token: await tokenFor("worker1") });
    expect(mine.every((v) => v.case.reporter.id === me.body.id)).toBe(true);
    expect((await reportedByMe("leader1")).map((v) => v.case.id)).not.toContain(first.id);
    const closedOnly = await reportedByMe("worker1", "&state=closed");
    expect(closedOnly.map((v) => v.case.id)).toContain(first.id);
    expect(closedOnly.map((v) => v.case.id)).not.toContain(second.id);
  });
});

describe("reopening a closed case", () => {
  it("is offered to and allowed for the reporter and the center only, not to another worker of the same grid", async () => {
    const { case: c } = await report("worker1", { description: "关闭后又出现的问题" });
    await close(c.id);
    const asLeader = await call("GET", `/v1/cases/${c.id}`, { token: await tokenFor("leader1") });
    expect(asLeader.status).toBe(200);
    expect(asLeader.body.allowedActions).not.toContain("reopen");
    const refused = await act("leader1", c.id, "reopen", { reason: "又堆起来了" });
    expect(refused.status).toBe(403);
    const asReporter = await call("GET", `/v1/cases/${c.id}`, { token: await tokenFor("worker1") });
    expect(asReporter.body.allowedActions).toContain("reopen");
    const asCenter = await call("GET", `/v1/cases/${c.id}`, { token: await tokenFor("center") });
    expect(asCenter.body.allowedActions).toContain("reopen");
    const reopened = await must("worker1", c.id, "reopen", { reason: "又堆起来了" });
    expect(reopened.case).toMatchObject({ state: "accepted", counters: { reopens: 1 } });
  });
});
