import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownStack } from "../../test/own-stack.ts";
import { call } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { pointIn } from "../../test/cases.ts";
import { measureCapacity, measured } from "../../core/db/metrics.ts";
import { caseWithTimeline } from "../../core/case/repo.ts";
import { queues } from "../queues.ts";

/**
 * Issue 16, "what a county pays": the write units of a case action, by index, as DynamoDB reports
 * them (ReturnConsumedCapacity INDEXES, core/db/metrics.ts) on a stack of this file's own. The case
 * item is on the by-owner index (gsi3) only while a department owns it (core/case/owner-index.ts;
 * docs/data-model.md "Case: what a write costs").
 */
const stack = ownStack();

beforeAll(() => measureCapacity(true));
afterAll(() => measureCapacity(false));

/** The write units per index of one call, queue consumers paused (the API call alone). */
async function unitsOf(fn: () => Promise<unknown>): Promise<Record<string, number>> {
  const s = stack.get();
  await s.poller!.idle();
  queues.forEach((q) => s.poller!.pause(q.name, true));
  try {
    const { cost } = await measured(fn);
    return cost.byIndex;
  } finally {
    queues.forEach((q) => s.poller!.pause(q.name, false));
  }
}

async function must(username: string, path: string, body: Record<string, unknown>, status = 200) {
  const r = await call("POST", path, { token: await tokenFor(username), body });
  expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(status);
  return r.body;
}

const ownedBy = async (department: string) => {
  const r = await call("GET", `/v1/cases?ownerDepartment=${department}&limit=200`, { token: await tokenFor("center") });
  expect(r.status).toBe(200);
  return r.body.items.map((v: any) => v.case.id as string);
};

describe("write units of a case's life, by index", () => {
  let caseId: string;

  beforeAll(async () => {
    const location = await pointIn("worker1");
    caseId = (await must("worker1", "/v1/cases", { categoryId: "cat-env-garbage", description: "路边垃圾堆积，请尽快清理", location }, 201)).case.id;
  }, 60_000);

  it("writes a case owned by a unit to the open, state and no owner index; a department's case to the owner index too", async () => {
    // reported, accepted: the center (a unit) owns it
    expect(Object.keys(await unitsOf(() => must("center", `/v1/cases/${caseId}/comment`, { note: "已知悉" }))).sort()).toEqual(["gsi1", "gsi2", "table"]);
    expect(Object.keys(await unitsOf(() => must("center", `/v1/cases/${caseId}/accept`, {}))).sort()).toEqual(["gsi1", "gsi2", "table"]);
    expect(await ownedBy("dept-urban")).not.toContain(caseId);
    // claimed: the department owns it, so it enters the owner index and the department's list
    expect(Object.keys(await unitsOf(() => must("dept1", `/v1/cases/${caseId}/claim`, {}))).sort()).toEqual(["gsi1", "gsi2", "gsi3", "table"]);
    expect(await ownedBy("dept-urban")).toContain(caseId);
    // handled: back to the grid (a unit), it leaves the owner index (one index write: the delete) and the list
    const handle = await unitsOf(() => must("dept1", `/v1/cases/${caseId}/handle`, { note: "已处理" }));
    expect(handle.gsi3).toBeGreaterThan(0);
    expect(handle.gsi3).toBeLessThan(handle.gsi2); // gsi2 changes its key (state): a delete and a put
    expect(await ownedBy("dept-urban")).not.toContain(caseId);
    // verified and evaluated (closed) while a unit owns it: no owner index write
    expect(Object.keys(await unitsOf(() => must("worker1", `/v1/cases/${caseId}/verify`, { pass: true }))).sort()).toEqual(["gsi1", "gsi2", "table"]);
    expect(Object.keys(await unitsOf(() => must("worker1", `/v1/cases/${caseId}/evaluate`, { level: "satisfied" }))).sort()).toEqual(["gsi1", "gsi2", "table"]);
  });

  it("keeps each timeline event with the case as it was then (the record the aggregates and appraisals can be recounted from)", async () => {
    const { case: c, events } = await caseWithTimeline(caseId);
    expect(c!.state).toBe("closed");
    expect(events.map((e) => e.action)).toEqual(["report", "comment", "accept", "accept", "claim", "handle", "verify", "evaluate"]);
    const handled = events.find((e) => e.type === "handled")!;
    expect(handled.owner).toEqual({ kind: "unit", id: c!.unitId }); // back with the grid after handling (verification)
    expect(events.find((e) => e.type === "claimed")!.owner).toMatchObject({ kind: "department", id: "dept-urban" });
    expect(events.every((e) => e.caseNumber === c!.number && typeof e.deadlines === "object" && typeof e.flags.supervised === "boolean")).toBe(true);
  });
});
