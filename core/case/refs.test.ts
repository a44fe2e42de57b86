import { describe, expect, it } from "vitest";
import { ConflictError, InvalidError, type VisibleError } from "../errors.ts";
import { Story, caseIn, people as p, photo, world } from "./fixtures.ts";
import { ladderUnit, rungsOf } from "./ladder.ts";
import type { Refs } from "./refs.ts";

const details = (e: Error) => (e as VisibleError).details as { field: string; reason: string; fields: { path: string }[] };

describe("references in case actions", () => {
  it("refuses to dispatch to a department that does not exist, naming the field and the reason", () => {
    const s = caseIn("accepted");
    const e = s.refuse({ action: "dispatch", to: { kind: "department", id: "dept-nope" }, reason: "x" }, p.dispatcher);
    expect(e).toBeInstanceOf(InvalidError);
    expect(details(e)).toMatchObject({ field: "to.id", reason: "unknown_department", fields: [{ path: "to.id" }] });
  });

  it("refuses an inactive department, and one that does not serve the case's unit", () => {
    const s = caseIn("accepted");
    expect(details(s.refuse({ action: "dispatch", to: { kind: "department", id: "dept-closed" }, reason: "x" }, p.dispatcher)).reason).toBe("inactive_department");
    const elsewhere: Refs = { ...world, departments: new Map([...world.departments, ["dept-far", { id: "dept-far", active: true, unitIds: ["street9"] }]]) };
    s.cfg = { ...s.cfg, refs: elsewhere };
    expect(details(s.refuse({ action: "dispatch", to: { kind: "department", id: "dept-far" }, reason: "x" }, p.dispatcher)).reason).toBe("department_does_not_serve_this_unit");
  });

  it("refuses to send a case that is not a dispute to a unit: only departments handle it", () => {
    const s = caseIn("accepted");
    const e = s.refuse({ action: "dispatch", to: { kind: "unit", id: "grid1" }, reason: "x" }, p.dispatcher);
    expect(details(e)).toMatchObject({ field: "to.kind", reason: "only_departments_handle_this_case" });
  });

  it("sends a dispute only to an active mediating unit of its own path, at or above the current rung", () => {
    const s = new Story({ report: { isDispute: true } });
    s.act({ action: "accept" }, p.dispatcher);
    expect(s.c).toMatchObject({ owner: { kind: "unit", id: "grid1" }, counters: { mediationLevel: 0 } });
    const to = (id: string) => ({ action: "dispatch", to: { kind: "unit", id }, reason: "x" });
    expect(details(s.refuse(to("unit-nope"), p.dispatcher)).reason).toBe("unknown_unit");
    expect(details(s.refuse(to("grid9"), p.dispatcher)).reason).toBe("inactive_unit");
    expect(details(s.refuse(to("grid2"), p.dispatcher)).reason).toBe("unit_not_on_the_case_path");
    const d = s.act(to("comm1"), p.dispatcher, 1);
    expect(s.c).toMatchObject({ state: "dispatched", owner: { kind: "unit", id: "comm1" }, counters: { mediationLevel: 2, mediationAttempts: 0 } });
    expect(d.checks).toEqual([{ kind: "unit", id: "comm1", field: "to.id" }]);
    expect(details(s.refuse(to("grid1"), p.dispatcher)).reason).toBe("below_the_current_mediation_level");
    expect(details(s.refuse(to("comm1"), p.dispatcher)).reason).toBe("already_the_owner");
  });

  it("refuses a merge into a case that does not exist, is not visible, is the case itself, or is no longer open", () => {
    const s = caseIn("accepted");
    const merge = (intoCaseId: string) => s.refuse({ action: "merge", intoCaseId }, p.dispatcher);
    expect(merge("nonexistent-id")).toBeInstanceOf(InvalidError);
    expect(details(merge("nonexistent-id"))).toMatchObject({ field: "intoCaseId", reason: "unknown_case" });
    expect(details(merge(s.c.id)).reason).toBe("same_case");
    expect(merge("c-closed")).toBeInstanceOf(ConflictError);
    expect(details(merge("c-closed")).reason).toBe("target_not_open");
    s.cfg = { ...s.cfg, refs: { ...world, cases: new Map([["c-hidden", { id: "c-hidden", state: "reported", visible: false }]]) } };
    expect(details(merge("c-hidden")).reason).toBe("unknown_case");
  });

  it("merges into an open case and asks the commit to re-check that it is still open", () => {
    const s = caseIn("accepted");
    const d = s.act({ action: "merge", intoCaseId: "c-other" }, p.dispatcher);
    expect(s.c).toMatchObject({ state: "rejected", rejection: { mergedInto: "c-other" } });
    expect(d.checks).toEqual([{ kind: "case", id: "c-other", field: "intoCaseId" }]);
  });

  it("offers the claim window only to departments that can own the case, and refuses a claimer whose department was deactivated", () => {
    const s = new Story({ cfg: { candidateDepartments: ["dept-city", "dept-closed", "dept-gone"] } });
    const d = s.act({ action: "accept" }, p.dispatcher);
    expect(s.c.candidateDepartments).toEqual(["dept-city"]);
    expect(d.events[1].data?.notify).toEqual([{ kind: "departments", ids: ["dept-city"] }]);
    s.cfg = { ...s.cfg, refs: { ...world, departments: new Map([["dept-city", { id: "dept-city", active: false, unitIds: [] }]]) } };
    expect(details(s.refuse({ action: "claim" }, p.cityStaff))).toMatchObject({ field: "departmentId", reason: "inactive_department" });
  });

  it("keeps an urgent case, or an unclaimed one, with the center when the responsible department cannot own it", () => {
    const gone = { refs: { ...world, departments: new Map() } };
    const urgent = new Story({ report: { urgent: true }, cfg: gone });
    urgent.act({ action: "accept" }, p.dispatcher);
    expect(urgent.c).toMatchObject({ state: "accepted", owner: { kind: "unit", id: "county" } });
    const claim = new Story();
    claim.act({ action: "accept" }, p.dispatcher);
    expect(claim.c.state).toBe("claimable");
    claim.cfg = { ...claim.cfg, refs: gone.refs };
    claim.fire();
    expect(claim.c).toMatchObject({ state: "accepted", owner: { kind: "unit", id: "county" } });
  });

  it("returns rework to the center when the handling department was deactivated meanwhile", () => {
    const s = caseIn("verified");
    s.cfg = { ...s.cfg, refs: { ...world, departments: new Map([["dept-city", { id: "dept-city", active: false, unitIds: [] }]]) } };
    const d = s.act({ action: "evaluate", level: "dissatisfied" }, p.gridWorker);
    expect(s.c).toMatchObject({ state: "accepted", owner: { kind: "unit", id: "county" }, flags: { returned: true }, counters: { rework: 1 } });
    expect(d.events.map((e) => e.type)).toEqual(["evaluated", "returned"]);
  });

  it("lets the center reassign a dispatched case (改派) with a fresh handling deadline, never to its current owner", () => {
    const s = caseIn("in_progress");
    expect(details(s.refuse({ action: "dispatch", to: { kind: "department", id: "dept-city" }, reason: "x" }, p.dispatcher)).reason).toBe("already_the_owner");
    const d = s.act({ action: "dispatch", to: { kind: "department", id: "dept-water" }, reason: "pipe" }, p.dispatcher, 5);
    expect(s.c).toMatchObject({ state: "dispatched", owner: { id: "dept-water" }, handler: { id: "dept-water" } });
    expect(d.timers.set).toEqual([{ stage: "handle", dueAt: s.c.dueAt }]);
    expect(d.events[0].data).toMatchObject({ reassigned: true, from: { kind: "department", id: "dept-city" } });
  });
});

describe("the mediation ladder by level", () => {
  const rungs = (path: string) => [0, 1, 2, 3, 4].map((l) => ladderUnit(path, l));

  it("mediates a dispute located in a micro-grid through the same units as one located in its grid", () => {
    expect(rungs("/county/street1/comm1/grid1/")).toEqual(["grid1", "grid1", "comm1", "street1", "county"]);
    expect(rungs("/county/street1/comm1/grid1/micro7/")).toEqual(["grid1", "grid1", "comm1", "street1", "county"]);
  });

  it("maps missing lower levels to the deepest unit of the path", () => {
    expect(rungs("/county/street1/comm1/")).toEqual(["comm1", "comm1", "comm1", "street1", "county"]);
    expect(rungsOf("/county/street1/comm1/grid1/micro7/", "micro7")).toEqual([]);
    expect(rungsOf("/county/street1/comm1/grid1/micro7/", "grid1")).toEqual([0, 1]);
  });

  it("climbs a micro-grid dispute grid → village group → community → township → county", () => {
    const s = new Story({ report: { isDispute: true, unitId: "micro7", unitPath: "/county/street1/comm1/grid1/micro7" } });
    s.act({ action: "accept" }, p.dispatcher);
    const owners = [s.c.owner.id];
    for (let level = 0; level < 4; level++) {
      s.act({ action: "escalate", reason: "no agreement" }, p.dispatcher, 1);
      owners.push(s.c.owner.id);
    }
    expect(owners).toEqual(["grid1", "grid1", "comm1", "street1", "county"]);
    s.act({ action: "mediate", outcome: "resolved", note: "agreed", attachments: photo }, p.dispatcher, 1);
    expect(s.c).toMatchObject({ state: "handled", owner: { kind: "unit", id: "micro7" } });
  });
});
