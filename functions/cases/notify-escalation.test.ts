import { describe, it, expect, beforeAll } from "vitest";
import { call, advanceClock, runJob, queuesIdle } from "../../test/client.ts";
import { tokenFor } from "../../test/fixtures.ts";
import { must, report } from "../../test/cases.ts";
import { ownStack } from "../../test/own-stack.ts";

/**
 * Issue 14: an escalating case (overdue, supervision, the mediation ladder) is told to the owner's
 * staff and to the superiors at every level the county's escalation rules name, up the chain —
 * once per event and person, never to the one who acted. Own stack: it changes the county's
 * settings and moves the clock.
 */
ownStack({ at: "2026-11-23T01:00:00Z" }); // Monday 09:00 in the county

const EVERYONE = ["admin", "center", "supervisor", "street1", "community1", "leader1", "instructor1", "worker1", "worker2", "dept1", "dept2", "auditor"];

/** For each event of this type on the case (oldest first), who was told of it: one notification per event and person. */
async function heard(caseId: string, type: string): Promise<string[][]> {
  const byEvent = new Map<string, { at: string; users: string[] }>();
  for (const u of EVERYONE) {
    const r = await call("GET", "/v1/me/notifications?limit=200", { token: await tokenFor(u) });
    expect(r.status).toBe(200);
    for (const n of r.body.items.filter((n: any) => n.caseId === caseId && n.type === type)) {
      const e = byEvent.get(n.eventId) ?? { at: n.at as string, users: [] as string[] };
      e.users.push(u);
      byEvent.set(n.eventId, e);
    }
  }
  return [...byEvent.values()].sort((a, b) => a.at.localeCompare(b.at)).map((e) => {
    expect(new Set(e.users).size).toBe(e.users.length);
    return e.users.sort();
  });
}

beforeAll(async () => {
  const admin = await tokenFor("admin");
  const current = await call("GET", "/v1/settings", { token: admin });
  expect(current.status).toBe(200);
  const { updatedAt: _u, ...settings } = current.body;
  const put = await call("PUT", "/v1/settings", {
    token: admin,
    body: { ...settings, escalation: { overdue: ["community", "street", "county"], escalated: ["street", "county"], supervised: ["street"] } },
  });
  expect(put.status).toBe(200);
  expect(put.body.escalation).toEqual({ overdue: ["community", "street", "county"], escalated: ["street", "county"], supervised: ["street"] });
});

describe("notifications up the chain by the county's escalation rules", () => {
  it("refuses rules naming a level the county does not have", async () => {
    const admin = await tokenFor("admin");
    const { updatedAt: _u, ...settings } = (await call("GET", "/v1/settings", { token: admin })).body;
    const r = await call("PUT", "/v1/settings", { token: admin, body: { ...settings, escalation: { overdue: ["province"] } } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields).toContainEqual(expect.objectContaining({ path: "escalation.overdue.0" }));
  });

  it("tells every named level of an overdue dispute, of each climb up the ladder and of its supervision, never the actor", async () => {
    const { case: c } = await report("worker1", { categoryId: "cat-dispute-neighbour", description: "邻里噪音纠纷" });
    await must("center", c.id, "accept"); // a dispute: mediation in the grid
    const grid = (await call("GET", `/v1/cases/${c.id}`, { token: await tokenFor("center") })).body.case;
    expect(grid).toMatchObject({ state: "dispatched", owner: { kind: "unit" } });

    // 1. the grid's handling deadline passes: the grid's staff (owner) + community, street and county (rules);
    //    without rules only the grid and the community (one unit up) would hear of it
    await advanceClock(60 * 24 * 30);
    await runJob("timer-sweep");
    await queuesIdle();
    expect((await call("GET", `/v1/cases/${c.id}`, { token: await tokenFor("center") })).body.case.flags.overdue).toBe(true);
    expect(await heard(c.id, "overdue")).toEqual([["center", "community1", "instructor1", "leader1", "street1", "supervisor", "worker1"]]);

    // 2. two failed mediations by the grid leader: village group (still the grid's unit) — the grid's staff but
    //    the leader who acted, and street and county (rules; the community is not named for `escalated`);
    //    two more: the community mediates — it, the street and the county are told
    for (const note of ["双方不接受", "仍不接受", "村组调解不成", "再次不成"]) await must("leader1", c.id, "mediate", { outcome: "failed", note });
    await queuesIdle();
    const community = (await call("GET", `/v1/cases/${c.id}`, { token: await tokenFor("center") })).body.case;
    expect(community.counters.mediationLevel).toBe(2);
    expect(await heard(c.id, "escalated")).toEqual([
      ["center", "instructor1", "street1", "supervisor", "worker1"],
      ["center", "community1", "street1", "supervisor"],
    ]);

    // 3. the efficiency office supervises it: the owner (the community) and the street (rules); not the supervisor who acted
    await must("supervisor", c.id, "supervise", { reason: "久调未决" });
    await queuesIdle();
    expect(await heard(c.id, "supervised")).toEqual([["community1", "street1"]]);
  }, 180_000);

  it("names every level of the path for a department's case, and keeps the default for an event the rules do not name", async () => {
    const { case: c } = await report("worker1");
    await must("center", c.id, "accept");
    await must("dept1", c.id, "claim");
    // supervised (rules: street): the owning department and the street of the case
    await must("supervisor", c.id, "supervise", { reason: "群众反映强烈" });
    await queuesIdle();
    expect(await heard(c.id, "supervised")).toEqual([["dept1", "street1"]]);
    // overdue (rules: community, street, county): the department, its superior the centre, and the named levels
    await advanceClock(60 * 24 * 30);
    await runJob("timer-sweep");
    await queuesIdle();
    expect(await heard(c.id, "overdue")).toEqual([["center", "community1", "dept1", "street1", "supervisor"]]);
    // hanging, already supervised → a reminder; `supervision_reminder` is not named: the efficiency office and the owner only
    await advanceClock(60 * 24 * 3);
    await runJob("timer-sweep");
    await queuesIdle();
    expect(await heard(c.id, "supervision_reminder")).toEqual([["dept1", "supervisor"]]);
  }, 180_000);
});
