import { describe, it, expect, beforeAll } from "vitest";
import { call } from "../../test/client.ts";
import { adminToken, tokenFor } from "../../test/fixtures.ts";
import { act, must, report } from "../../test/cases.ts";

/**
 * Issue 14, invariant 1 over HTTP: every id in an action body is checked in the same decision.
 * Each example of the issue, against the embedded stack.
 */

const tag = Date.now().toString(36).toUpperCase().slice(-5);
const segments = (path: string) => path.split("/").filter(Boolean);
const read = async (id: string) => (await call("GET", `/v1/cases/${id}`, { token: await tokenFor("center") })).body.case;

let admin: string;
beforeAll(async () => {
  admin = await adminToken();
});

describe("dispatch targets", () => {
  it("refuses a department that does not exist (400 naming to.id) and leaves the case with the center", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    const r = await act("center", c.id, "dispatch", { to: { kind: "department", id: "dept-nope" }, reason: "测试" });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toMatchObject({ field: "to.id", reason: "unknown_department", fields: [{ path: "to.id" }] });
    expect(await read(c.id)).toMatchObject({ state: "claimable", version: c.version + 1 });
  });

  it("refuses to send a case that is not a dispute to a grid", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    const grid = segments(c.unitPath)[3];
    const r = await act("center", c.id, "dispatch", { to: { kind: "unit", id: grid }, reason: "测试" });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toMatchObject({ field: "to.kind", reason: "only_departments_handle_this_case" });
  });

  it("refuses to send a dispute to a unit outside its own path", async () => {
    const { case: c } = await report("worker1", { categoryId: "cat-dispute-neighbour", description: "邻里噪音纠纷" });
    await must("center", c.id, "accept");
    const { case: other } = await report("worker2", { categoryId: "cat-dispute-neighbour", description: "另一网格的纠纷" });
    const elsewhere = segments(other.unitPath)[2]; // a community of another street
    const r = await act("center", c.id, "dispatch", { to: { kind: "unit", id: elsewhere }, reason: "测试" });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toMatchObject({ field: "to.id", reason: "unit_not_on_the_case_path" });
  });

  it("lets the center reassign (改派) a dispatched case to another department", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    await must("dept1", c.id, "claim");
    const r = await must("center", c.id, "dispatch", { to: { kind: "department", id: "dept-housing" }, reason: "属住建" });
    expect(r.case).toMatchObject({ state: "dispatched", owner: { kind: "department", id: "dept-housing" } });
    expect((await act("dept2", c.id, "start")).status).toBe(200);
  });
});

describe("merge targets", () => {
  it("refuses a merge into a case that does not exist (400 naming intoCaseId) and keeps the case open", async () => {
    const { case: c } = await report("worker1");
    const r = await act("center", c.id, "merge", { intoCaseId: "nonexistent-id" });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toMatchObject({ field: "intoCaseId", reason: "unknown_case" });
    expect((await read(c.id)).state).toBe("reported");
  });

  it("refuses a merge into itself and into a case that is no longer open (no chains, no cycles)", async () => {
    const { case: a } = await report("worker1");
    const { case: b } = await report("worker1");
    const self = await act("center", a.id, "merge", { intoCaseId: a.id });
    expect(self.status).toBe(400);
    expect(self.body.error.details.reason).toBe("same_case");
    expect((await must("center", a.id, "merge", { intoCaseId: b.id })).case).toMatchObject({ state: "rejected", rejection: { mergedInto: b.id } });
    const back = await act("center", b.id, "merge", { intoCaseId: a.id });
    expect(back.status).toBe(409);
    expect(back.body.error.details).toMatchObject({ field: "intoCaseId", reason: "target_not_open" });
    expect((await read(b.id)).state).toBe("reported");
  });

  it("refuses a merge into a case the caller cannot see", async () => {
    const { case: mine } = await report("worker1");
    const { case: theirs } = await report("worker2");
    const r = await act("community1", mine.id, "merge", { intoCaseId: theirs.id });
    expect(r.status).toBe(400);
    expect(r.body.error.details.reason).toBe("unknown_case");
  });
});

describe("department deactivation", () => {
  it("is refused while the department owns open cases, and allowed once the center reassigned them", async () => {
    const created = await call("POST", "/v1/departments", { token: admin, body: { name: "临时专班", code: `TMP-${tag}`, contact: { name: "李" } } });
    expect(created.status).toBe(201);
    const dept = created.body;
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    await must("center", c.id, "dispatch", { to: { kind: "department", id: dept.id }, reason: "专班处理" });
    const refused = await call("PATCH", `/v1/departments/${dept.id}`, { token: admin, body: { version: dept.version, active: false } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({ field: "active", reason: "open_cases", count: 1 });
    await must("center", c.id, "dispatch", { to: { kind: "department", id: "dept-urban" }, reason: "专班撤销" });
    const done = await call("PATCH", `/v1/departments/${dept.id}`, { token: admin, body: { version: dept.version, active: false } });
    expect(done.status).toBe(200);
    const { case: d } = await report("worker1");
    await must("center", d.id, "accept");
    const r = await act("center", d.id, "dispatch", { to: { kind: "department", id: dept.id }, reason: "x" });
    expect(r.status).toBe(400);
    expect(r.body.error.details.reason).toBe("inactive_department");
  });
});

describe("the mediation ladder by level", () => {
  it("takes a dispute located in a micro-grid through its grid, community, street and county", async () => {
    const { case: c } = await report("worker1", { categoryId: "cat-dispute-neighbour", description: "楼上漏水纠纷" });
    const path = segments(c.unitPath);
    expect(path).toHaveLength(5); // county / street / community / grid / micro-grid
    const owners = [(await must("center", c.id, "accept")).case.owner.id];
    for (let i = 0; i < 4; i++) owners.push((await must("center", c.id, "escalate", { reason: "调解未成" })).case.owner.id);
    expect(owners).toEqual([path[3], path[3], path[2], path[1], path[0]]);
  });
});
