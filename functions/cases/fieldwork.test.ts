import { describe, it, expect } from "vitest";
import { act, as, expectStatus, must, report } from "../../test/api.ts";

/** A grid worker's own reports (the desk's 我上报的) and who may reopen a closed case; over the typed client (test/api.ts). */
async function reportedByMe(username: string, state?: "closed") {
  return expectStatus(await as(username).GET("/v1/cases", { params: { query: { reportedByMe: "true", limit: 50, state } } }), 200).items;
}

const read = async (username: string, id: string) => expectStatus(await as(username).GET("/v1/cases/{id}", { params: { path: { id } } }), 200);

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
    const times = mine.map((v) => v.case.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(mine.find((v) => v.case.id === first.id)!.case.state).toBe("closed");
    const me = expectStatus(await as("worker1").GET("/v1/me"), 200);
    expect(mine.every((v) => v.case.reporter.id === me.id)).toBe(true);
    expect((await reportedByMe("leader1")).map((v) => v.case.id)).not.toContain(first.id);
    const closedOnly = await reportedByMe("worker1", "closed");
    expect(closedOnly.map((v) => v.case.id)).toContain(first.id);
    expect(closedOnly.map((v) => v.case.id)).not.toContain(second.id);
  });
});

describe("reopening a closed case", () => {
  it("is offered to and allowed for the reporter and the center only, not to another worker of the same grid", async () => {
    const { case: c } = await report("worker1", { description: "关闭后又出现的问题" });
    await close(c.id);
    expect((await read("leader1", c.id)).allowedActions).not.toContain("reopen");
    const refused = await act("leader1", c.id, "reopen", { reason: "又堆起来了" });
    expect(refused.response.status).toBe(403);
    expect((await read("worker1", c.id)).allowedActions).toContain("reopen");
    expect((await read("center", c.id)).allowedActions).toContain("reopen");
    const reopened = await must("worker1", c.id, "reopen", { reason: "又堆起来了" });
    expect(reopened.case).toMatchObject({ state: "accepted", counters: { reopens: 1 } });
  });
});
