import { describe, it, expect, beforeAll } from "vitest";
import { call, queuesIdle } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { must, report } from "../../test/cases.ts";
import { ownStack } from "../../test/own-stack.ts";

// exact counts: no other test file's cases on this stack
ownStack();

let center: string;
beforeAll(async () => {
  center = await tokenFor("center");
});

const overview = async (token: string, query = "") => {
  const r = await call("GET", `/v1/stats/overview${query}`, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

describe("case figures from the aggregates", () => {
  it("counts today's and the month's reports and closures and the open cases exactly, per child unit and department", async () => {
    await queuesIdle();
    const before = await overview(center);
    const a = await report("worker1");
    const b = await report("worker1");
    await report("worker1");
    await must("center", a.case.id, "reject", { reason: "重复上报" });
    // b through the loop to closed
    await must("center", b.case.id, "accept");
    await must("dept1", b.case.id, "claim");
    await must("dept1", b.case.id, "start");
    await must("dept1", b.case.id, "handle", { note: "已处理" });
    await must("worker1", b.case.id, "verify", { pass: true, note: "已核实" });
    await must("worker1", b.case.id, "evaluate", { level: "satisfied" });
    await queuesIdle();

    const after = await overview(center);
    const d = (k: string, part: "month" | "today") => (after.totals[part][k] ?? 0) - (before.totals[part][k] ?? 0);
    expect(d("reports", "today")).toBe(3);
    expect(d("reports", "month")).toBe(3);
    expect(d("closed", "today")).toBe(1);
    expect(d("closedOnTime", "month")).toBe(1);
    // a rejected and a closed case leave the open count: one of three stays open
    expect(after.totals.open - before.totals.open).toBe(1);

    // the street of worker1's grid carries the same changes; the other streets none
    const street = b.case.unitPath.split("/").filter(Boolean)[1];
    const row = (o: any, id: string) => o.children.find((c: any) => c.id === id);
    expect(row(after, street).month.reports - (row(before, street)?.month.reports ?? 0)).toBe(3);
    expect(after.children.filter((c: any) => c.id !== street).map((c: any) => c.open)).toEqual(before.children.filter((c: any) => c.id !== street).map((c: any) => c.open));
    // the department that closed it
    const dept = after.departments.find((x: any) => x.id === "dept-urban");
    expect(dept.month.closed - (before.departments.find((x: any) => x.id === "dept-urban")?.month.closed ?? 0)).toBe(1);

    // a street's staff sees their street, not the county; a unit outside their part is a 404
    const streetView = await overview(await tokenFor("street1"));
    expect(streetView.units).toHaveLength(1);
    expect(streetView.departments).toEqual([]);
    const other = after.children.find((c: any) => c.id !== streetView.units[0].id);
    expect((await call("GET", `/v1/stats/overview?unitId=${other.id}`, { token: await tokenFor("street1") })).status).toBe(404);
    expect((await call("GET", "/v1/stats/overview?month=2026-13", { token: center })).status).toBe(400);
  });
});
