import { describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError, InvalidError } from "../errors.ts";
import { decide } from "./decide.ts";
import { GRID_PATH, HOUR, STAGE_HOURS, Story, T0, caseIn, people, photo, reportInput, rules } from "./fixtures.ts";
import { allowedActions } from "./machine.ts";
import { Case } from "./schema.ts";

const p = people;
const plus = (d: Date, hours: number) => new Date(d.getTime() + hours * HOUR).toISOString();
const types = (s: Story) => s.log.at(-1)!.events.map((e) => e.type);

describe("the normal loop", () => {
  it("takes a grid worker's report through dispatch, handling, verification and evaluation to closed", () => {
    const s = new Story({ cfg: { claimWindow: false } });
    expect(s.c).toMatchObject({ state: "reported", version: 1, owner: { kind: "unit", id: "county" } });
    expect(s.log[0].timers).toEqual({ set: [{ stage: "accept", dueAt: plus(T0, 2) }], clear: [] });

    s.act({ action: "accept", note: "registered" }, p.dispatcher, 1);
    expect(s.c).toMatchObject({ state: "accepted", timer: { stage: "dispatch" }, dueAt: plus(T0, 1 + 4) });
    expect(s.log.at(-1)!.timers).toEqual({ set: [s.c.timer], clear: ["accept"] });

    s.act({ action: "dispatch", to: { kind: "department", id: "dept-city" }, reason: "city appearance" }, p.dispatcher);
    expect(s.c).toMatchObject({ state: "dispatched", owner: { kind: "department", id: "dept-city" }, timer: { stage: "handle" } });
    const handleDue = s.c.dueAt;

    s.act({ action: "start" }, p.cityStaff, 3);
    expect(s.c.state).toBe("in_progress");
    expect(s.c.dueAt).toBe(handleDue);
    expect(s.log.at(-1)!.timers).toEqual({ set: [], clear: [] });

    s.act({ action: "handle", note: "cleared and washed", attachments: photo }, p.cityStaff, 5);
    expect(s.c).toMatchObject({ state: "handled", owner: { kind: "unit", id: "grid1" }, timer: { stage: "verify" } });

    s.act({ action: "verify", pass: true, attachments: photo }, p.gridWorker, 2);
    expect(s.c).toMatchObject({ state: "verified", timer: { stage: "evaluate" } });

    s.act({ action: "evaluate", level: "very_satisfied" }, p.gridWorker, 1);
    expect(s.c).toMatchObject({ state: "closed", version: 7, closedAt: s.now.toISOString() });
    expect(s.c.evaluation).toMatchObject({ level: "very_satisfied", byDefault: false, by: { id: "u-gw" } });
    expect(s.c.timer).toBeUndefined();
    expect(s.c.dueAt).toBeUndefined();
    expect(s.log.at(-1)!.timers).toEqual({ set: [], clear: ["evaluate"] });
    expect(s.events.map((e) => e.type)).toEqual([
      "reported", "accepted", "dispatched", "started", "handled", "verified", "evaluated",
    ]);
    expect(Case.safeParse(s.c).success).toBe(true);
  });

  it("stamps every event with the decision's time, new version and states", () => {
    const s = caseIn("accepted");
    const d = s.act({ action: "dispatch", to: { kind: "department", id: "dept-water" }, reason: "water matter" }, p.dispatcher, 2);
    expect(d.events).toEqual([
      expect.objectContaining({
        type: "dispatched", action: "dispatch", from: "accepted", to: "dispatched", version: 3, seq: 0,
        at: s.now.toISOString(), actor: { kind: "user", id: "u-dc" }, note: "water matter",
      }),
    ]);
    expect(d.events[0].data?.notify).toEqual([{ kind: "owner", owner: { kind: "department", id: "dept-water" } }]);
    expect(d.checks).toEqual([{ kind: "department", id: "dept-water", field: "to.id" }]);
  });

  it("lets the center close a verified case without an evaluation", () => {
    const s = caseIn("verified");
    s.act({ action: "close", note: "hotline reporter unreachable" }, p.dispatcher);
    expect(s.c.state).toBe("closed");
    expect(s.c.evaluation).toBeUndefined();
  });
});

describe("on-the-spot resolution", () => {
  it("closes a case the reporting grid worker fixed with photos, verified by themself, with no timers left", () => {
    const s = new Story();
    const d = s.act({ action: "resolve", note: "moved the bikes", attachments: photo }, p.gridWorker, 0.5);
    expect(s.c).toMatchObject({ state: "closed", owner: { kind: "user", id: "u-gw" } });
    expect(d.events[0]).toMatchObject({ type: "resolved", data: { onTheSpot: true, verifiedBy: { id: "u-gw" } } });
    expect(d.timers).toEqual({ set: [], clear: ["accept"] });
  });

  it("is only for the grid worker who reported it, and needs a photo", () => {
    const s = new Story();
    expect(s.refuse({ action: "resolve", note: "x", attachments: photo }, p.otherGridWorker)).toBeInstanceOf(ForbiddenError);
    expect(s.refuse({ action: "resolve", note: "x", attachments: [] }, p.gridWorker)).toBeInstanceOf(InvalidError);
    const r = new Story({ report: { channel: "resident" }, by: p.resident });
    expect(r.refuse({ action: "resolve", note: "x", attachments: photo }, p.gridWorker)).toBeInstanceOf(ForbiddenError);
  });
});

describe("the claim window", () => {
  it("offers an accepted case to the candidate departments and gives the claimer its points", () => {
    const s = new Story();
    const accepted = s.act({ action: "accept" }, p.communityStaff);
    expect(s.c).toMatchObject({ state: "claimable", dueAt: plus(T0, STAGE_HOURS.claim), timer: { stage: "claim" } });
    expect(accepted.events[1]).toMatchObject({
      type: "claim_opened", data: { notify: [{ kind: "departments", ids: ["dept-city", "dept-housing"] }] },
    });
    expect(allowedActions(s.c, p.housingStaff, s.now)).toEqual(["claim", "comment"]);

    const d = s.act({ action: "claim" }, p.housingStaff, 0.5);
    expect(s.c).toMatchObject({ state: "dispatched", owner: { kind: "department", id: "dept-housing" }, timer: { stage: "handle" } });
    expect(d.events[0]).toMatchObject({ type: "claimed", data: { departmentId: "dept-housing", points: 1 } });
  });

  it("refuses a department that is not a candidate, and any claim after the window", () => {
    const s = caseIn("claimable");
    expect(s.refuse({ action: "claim" }, p.waterStaff)).toBeInstanceOf(ForbiddenError);
    const late = s.refuse({ action: "claim" }, p.cityStaff, STAGE_HOURS.claim);
    expect(late).toBeInstanceOf(ConflictError);
    expect((late as ConflictError).details).toMatchObject({ state: "claimable", requires: "the claim window is open" });
  });

  it("dispatches to the responsible department when nobody claims in time", () => {
    const s = caseIn("claimable");
    const d = s.fire();
    expect(s.c).toMatchObject({ state: "dispatched", owner: { kind: "department", id: "dept-city" }, handler: { id: "dept-city" } });
    expect(d.events.map((e) => e.type)).toEqual(["claim_expired", "dispatched"]);
    expect(d.events[1].data).toMatchObject({ auto: true });
    expect(d.timers).toEqual({ set: [{ stage: "handle", dueAt: plus(s.now, 72) }], clear: ["claim"] });
  });

  it("leaves an unclaimed case to the center when no department is responsible", () => {
    const s = new Story({ cfg: { responsibleDepartmentId: undefined } });
    s.act({ action: "accept" }, p.dispatcher);
    s.fire();
    expect(s.c).toMatchObject({ state: "accepted", owner: { kind: "unit", id: "county" }, timer: { stage: "dispatch" } });
  });

  it("lets the center dispatch during the window", () => {
    const s = caseIn("claimable");
    s.act({ action: "dispatch", to: { kind: "department", id: "dept-water" }, reason: "it is a pipe" }, p.streetStaff);
    expect(s.c.owner).toEqual({ kind: "department", id: "dept-water" });
  });
});

describe("urgent cases", () => {
  it("skip the claim window and go straight to the responsible department on accept", () => {
    const s = new Story({ report: { urgent: true } });
    const d = s.act({ action: "accept" }, p.dispatcher);
    expect(s.c).toMatchObject({ state: "dispatched", owner: { kind: "department", id: "dept-city" } });
    expect(d.events.map((e) => e.type)).toEqual(["accepted", "dispatched"]);
    expect(d.events[1].data).toMatchObject({ urgent: true });
  });

  it("wait for the center, who is told, when no department is responsible", () => {
    const s = new Story({ report: { urgent: true }, cfg: { responsibleDepartmentId: undefined } });
    const d = s.act({ action: "accept" }, p.dispatcher);
    expect(s.c.state).toBe("accepted");
    expect(d.events[0].data).toMatchObject({ urgent: true, notify: [{ kind: "role", role: "dispatcher" }] });
  });
});

describe("transfer and re-dispatch", () => {
  it("sends a case back to the center with a reason, counts it, and lets the center dispatch it elsewhere", () => {
    const s = caseIn("in_progress");
    s.act({ action: "transfer", reason: "this is a water main, not litter" }, p.cityStaff, 1);
    expect(s.c).toMatchObject({ state: "accepted", owner: { kind: "unit", id: "county" }, counters: { transfers: 1 } });
    expect(s.c.timer).toEqual({ stage: "dispatch", dueAt: plus(s.now, 4) });
    expect(s.log.at(-1)!.timers.clear).toEqual(["handle"]);
    s.act({ action: "dispatch", to: { kind: "department", id: "dept-water" }, reason: "water main" }, p.dispatcher, 1);
    expect(s.c).toMatchObject({ state: "dispatched", owner: { id: "dept-water" }, handler: { id: "dept-water" } });
    expect(s.refuse({ action: "start" }, p.cityStaff)).toBeInstanceOf(ForbiddenError);
    s.act({ action: "start" }, p.waterStaff);
  });
});

describe("rework", () => {
  it("returns a case that fails verification to the same department", () => {
    const s = caseIn("handled");
    const d = s.act({ action: "verify", pass: false, note: "still piled up", attachments: photo }, p.gridLeader, 3);
    expect(s.c).toMatchObject({
      state: "dispatched", owner: { id: "dept-city" }, flags: { returned: true, supervised: false }, counters: { rework: 1 },
    });
    expect(d.events.map((e) => e.type)).toEqual(["verify_failed", "returned"]);
    expect(s.c.timer).toEqual({ stage: "handle", dueAt: plus(s.now, 72) });
  });

  it("needs a reason to fail a verification, from the case's own grid", () => {
    const s = caseIn("handled");
    expect(s.refuse({ action: "verify", pass: false }, p.gridWorker)).toBeInstanceOf(InvalidError);
    expect(s.refuse({ action: "verify", pass: true }, p.otherGridWorker)).toBeInstanceOf(ForbiddenError);
  });

  it("returns a dissatisfied case to the same department, and supervises it when it fails again", () => {
    const s = caseIn("verified");
    const first = s.act({ action: "evaluate", level: "dissatisfied", comment: "smell remains" }, p.gridWorker, 1);
    expect(s.c).toMatchObject({ state: "dispatched", owner: { id: "dept-city" }, flags: { returned: true }, counters: { rework: 1 } });
    expect(first.events.map((e) => e.type)).toEqual(["evaluated", "returned"]);

    s.act({ action: "handle", note: "washed with disinfectant", attachments: photo }, p.cityStaff, 10);
    expect(s.c.flags.returned).toBe(false);
    s.act({ action: "verify", pass: true }, p.gridWorker, 2);
    const second = s.act({ action: "evaluate", level: "very_dissatisfied" }, p.dispatcher, 1);
    expect(s.c).toMatchObject({ state: "dispatched", flags: { returned: true, supervised: true }, counters: { rework: 2 } });
    expect(second.events.map((e) => e.type)).toEqual(["evaluated", "returned", "supervised"]);
    expect(second.events[0].data).toMatchObject({ onBehalf: true });
    expect(second.events[2].data?.notify).toContainEqual({ kind: "role", role: "supervisor" });
  });

  it("lets only the reporter or the center evaluate", () => {
    const s = caseIn("verified");
    expect(s.refuse({ action: "evaluate", level: "satisfied" }, p.otherGridWorker)).toBeInstanceOf(ForbiddenError);
    expect(s.refuse({ action: "evaluate", level: "great" }, p.gridWorker)).toBeInstanceOf(InvalidError);
  });
});

describe("dispute mediation", () => {
  const failed = { action: "mediate", outcome: "failed", note: "no agreement" };
  const mediators = [p.gridWorker, p.gridLeader, p.communityStaff, p.streetStaff, p.dispatcher];

  it("starts in the grid and climbs the ladder after two failures per level, up to the county center, then supervises", () => {
    const s = new Story({ report: { isDispute: true, categoryId: "cat-neighbour" } });
    s.act({ action: "accept" }, p.dispatcher);
    expect(s.c).toMatchObject({ state: "dispatched", owner: { kind: "unit", id: "grid1" }, counters: { mediationLevel: 0 } });
    // mediating unit per level: grid, village group (no unit of its own: still the grid), community, street, county
    const owners = ["grid1", "grid1", "comm1", "street1", "county"];
    for (let level = 0; level < 4; level++) {
      expect(s.refuse(failed, level === 0 ? p.streetStaff : p.instructor)).toBeInstanceOf(ForbiddenError);
      s.act(failed, mediators[level], 24);
      expect(s.c.counters).toMatchObject({ mediationLevel: level, mediationAttempts: 1 });
      const d = s.act(failed, mediators[level], 24);
      expect(s.c.counters).toMatchObject({ mediationLevel: level + 1, mediationAttempts: 0 });
      expect(s.c.flags.escalated).toBe(true);
      expect(d.events.map((e) => e.type)).toEqual(["mediated", "escalated"]);
      expect(s.c.timer).toEqual({ stage: "handle", dueAt: plus(s.now, 72) });
      expect(s.c.owner.id).toBe(owners[level + 1]);
    }
    expect(s.c.owner).toEqual({ kind: "unit", id: "county" });
    expect(s.refuse({ action: "escalate", reason: "more" }, p.dispatcher)).toBeInstanceOf(ConflictError);
    s.act(failed, p.justiceStaff, 24);
    const d = s.act(failed, p.dispatcher, 24);
    expect(s.c).toMatchObject({ state: "dispatched", counters: { mediationLevel: 4 }, flags: { supervised: true } });
    expect(d.events.map((e) => e.type)).toEqual(["mediated", "supervised"]);

    s.act({ action: "mediate", outcome: "resolved", note: "signed an agreement", attachments: photo }, p.dispatcher, 24);
    expect(s.c).toMatchObject({ state: "handled", owner: { kind: "unit", id: "grid1" }, timer: { stage: "verify" } });
  });

  it("refuses to mediate a case that is not a dispute", () => {
    const s = caseIn("dispatched");
    expect(s.refuse(failed, p.gridWorker)).toBeInstanceOf(ConflictError);
  });

  it("climbs one level on a manual escalation", () => {
    const s = new Story({ report: { isDispute: true } });
    s.act({ action: "accept" }, p.dispatcher);
    s.act({ action: "escalate", reason: "violence threatened" }, p.gridLeader);
    expect(s.c).toMatchObject({ counters: { mediationLevel: 1 }, flags: { escalated: true } });
  });
});

describe("escalation and supervision", () => {
  it("moves a dispute the center sent to its community up one rung, and tells a department's superiors", () => {
    const s = new Story({ report: { isDispute: true } });
    s.act({ action: "accept" }, p.dispatcher);
    s.act({ action: "dispatch", to: { kind: "unit", id: "comm1" }, reason: "community" }, p.dispatcher);
    expect(s.c).toMatchObject({ owner: { kind: "unit", id: "comm1" }, counters: { mediationLevel: 2 } });
    s.act({ action: "escalate", reason: "community cannot" }, p.streetStaff);
    expect(s.c).toMatchObject({ owner: { kind: "unit", id: "street1" }, handler: { id: "street1" }, flags: { escalated: true }, counters: { mediationLevel: 3 } });
    const d = caseIn("dispatched").act({ action: "escalate", reason: "too slow" }, p.supervisor);
    expect(d.next.owner).toEqual({ kind: "department", id: "dept-city" });
    expect(d.events[0].data?.notify).toEqual([{ kind: "owner", owner: { kind: "department", id: "dept-city" }, superior: true }]);
  });

  it("lets the efficiency office supervise an open case once", () => {
    const s = caseIn("in_progress");
    s.act({ action: "supervise", reason: "residents complained twice" }, p.supervisor);
    expect(s.c.flags.supervised).toBe(true);
    expect(s.refuse({ action: "supervise", reason: "again" }, p.supervisor)).toBeInstanceOf(ConflictError);
    expect(s.refuse({ action: "supervise", reason: "x" }, p.dispatcher)).toBeInstanceOf(ForbiddenError);
  });

  it("marks an overdue stage, tells the owner's superior, then supervises the case left hanging and keeps reminding", () => {
    const s = caseIn("dispatched");
    const overdue = s.fire();
    expect(s.c.flags.overdue).toBe(true);
    expect(overdue.events[0]).toMatchObject({
      type: "overdue", data: { stage: "handle", notify: [{ kind: "owner", owner: { id: "dept-city" }, superior: true }] },
    });
    expect(overdue.timers).toEqual({ set: [{ stage: "hang", dueAt: plus(s.now, 24) }], clear: ["handle"] });
    expect(s.c.dueAt).toBe(s.c.deadlines.handle);

    const hang = s.fire();
    expect(s.c.flags.supervised).toBe(true);
    expect(hang.events[0]).toMatchObject({ type: "supervised", data: { reason: "hanging" } });
    expect(hang.timers).toEqual({ set: [{ stage: "hang", dueAt: plus(s.now, 24) }], clear: [] });
    expect(s.fire().events[0].type).toBe("supervision_reminder");

    s.act({ action: "handle", note: "finally", attachments: photo }, p.cityStaff);
    expect(s.c).toMatchObject({ state: "handled", flags: { overdue: false, supervised: true }, timer: { stage: "verify" } });
    expect(s.log.at(-1)!.timers.clear).toEqual(["hang"]);
  });

  it("ignores a stale or early timer", () => {
    const s = caseIn("dispatched");
    const due = s.c.timer!.dueAt;
    expect(s.refuse({ action: "timeout", stage: "handle" }, p.system)).toBeInstanceOf(ConflictError);
    const later = (Date.parse(due) - s.now.getTime()) / HOUR;
    expect(s.refuse({ action: "timeout", stage: "verify" }, p.system, later)).toBeInstanceOf(ConflictError);
    expect(s.refuse({ action: "timeout", stage: "handle", dueAt: T0.toISOString() }, p.system, later)).toBeInstanceOf(ConflictError);
    expect(s.refuse({ action: "timeout", stage: "handle" }, p.dispatcher, later)).toBeInstanceOf(ForbiddenError);
  });
});

describe("merge and reject", () => {
  it("rejects a duplicate as merged into another case and then takes only comments", () => {
    const s = caseIn("accepted");
    const d = s.act({ action: "merge", intoCaseId: "c-0" }, p.dispatcher);
    expect(s.c).toMatchObject({ state: "rejected", rejection: { reason: "duplicate", mergedInto: "c-0" } });
    expect(d.events[0]).toMatchObject({ type: "merged", data: { mergedInto: "c-0" } });
    expect(d.timers).toEqual({ set: [], clear: ["dispatch"] });
    expect(allowedActions(s.c, p.dispatcher, s.now)).toEqual(["comment"]);
    expect(s.refuse({ action: "reopen", reason: "no" }, p.dispatcher)).toBeInstanceOf(ConflictError);
    s.act({ action: "comment", note: "see c-0" }, p.dispatcher);
    expect(s.c.version).toBe(4);
  });

  it("refuses to merge a case into itself", () => {
    expect(caseIn("reported").refuse({ action: "merge", intoCaseId: "c-1" }, p.dispatcher)).toBeInstanceOf(InvalidError);
  });

  it("keeps the rejection reason", () => {
    expect(caseIn("rejected").c.rejection).toEqual({ reason: "not in our county" });
  });
});

describe("reopen", () => {
  it("takes a closed case back to the center and counts it", () => {
    const s = caseIn("verified");
    s.act({ action: "evaluate", level: "satisfied" }, p.gridWorker);
    s.act({ action: "reopen", reason: "garbage is back" }, p.gridWorker, 24 * 10);
    expect(s.c).toMatchObject({ state: "accepted", owner: { id: "county" }, counters: { reopens: 1 }, timer: { stage: "dispatch" } });
    expect(s.c.closedAt).toBeUndefined();
    expect(s.c.evaluation).toBeUndefined();
  });

  it("is refused after the reopen period, to other residents, and by a dispatcher's deputy without the role", () => {
    const s = new Story({ report: { channel: "resident" }, by: p.resident, cfg: { claimWindow: false } });
    s.act({ action: "accept" }, p.dispatcher);
    s.act({ action: "dispatch", to: { kind: "department", id: "dept-city" }, reason: "r" }, p.dispatcher);
    s.act({ action: "handle", note: "done" }, p.cityStaff);
    s.act({ action: "verify", pass: true }, p.gridWorker);
    s.act({ action: "evaluate", level: "average" }, p.resident);
    expect(s.c.state).toBe("closed");
    expect(s.refuse({ action: "reopen", reason: "back" }, p.resident, 24 * 31)).toBeInstanceOf(ConflictError);
    expect(s.refuse({ action: "reopen", reason: "back" }, p.otherResident)).toBeInstanceOf(ForbiddenError);
    expect(s.refuse({ action: "reopen", reason: "back" }, p.gridWorker)).toBeInstanceOf(ForbiddenError);
    s.act({ action: "reopen", reason: "back" }, p.dispatcher, 24);
    expect(s.c.state).toBe("accepted");
  });
});

describe("deadline extensions", () => {
  it("moves the deadline by the hours asked when the center approves", () => {
    const s = caseIn("in_progress");
    const due = s.c.dueAt!;
    s.act({ action: "extend_request", hours: 48, reason: "parts on order" }, p.cityStaff);
    expect(s.c.pendingExtension).toMatchObject({ hours: 48, by: { id: "u-city" } });
    expect(s.refuse({ action: "extend_request", hours: 1, reason: "more" }, p.cityStaff)).toBeInstanceOf(ConflictError);
    expect(s.refuse({ action: "extend_approve" }, p.cityStaff)).toBeInstanceOf(ForbiddenError);
    const d = s.act({ action: "extend_approve" }, p.dispatcher, 1);
    expect(s.c.dueAt).toBe(new Date(Date.parse(due) + 48 * HOUR).toISOString());
    expect(s.c.deadlines.handle).toBe(s.c.dueAt);
    expect(s.c.pendingExtension).toBeUndefined();
    expect(d.timers).toEqual({ set: [{ stage: "handle", dueAt: s.c.dueAt }], clear: [] });
  });

  it("lifts the overdue flag when an approved extension moves the deadline ahead", () => {
    const s = caseIn("dispatched");
    s.fire();
    s.act({ action: "extend_request", hours: 24, reason: "heavy rain" }, p.cityStaff);
    const d = s.act({ action: "extend_approve" }, p.dispatcher);
    expect(s.c.flags.overdue).toBe(false);
    expect(d.timers).toEqual({ set: [{ stage: "handle", dueAt: s.c.dueAt }], clear: ["hang"] });
  });

  it("keeps the deadline when the center refuses", () => {
    const s = caseIn("dispatched");
    const before = s.c.timer;
    s.act({ action: "extend_request", hours: 48, reason: "busy" }, p.cityStaff);
    const d = s.act({ action: "extend_refuse", reason: "not a reason" }, p.dispatcher);
    expect(s.c.timer).toEqual(before);
    expect(s.c.pendingExtension).toBeUndefined();
    expect(d.events[0]).toMatchObject({ type: "extension_refused", note: "not a reason" });
    expect(s.refuse({ action: "extend_refuse", reason: "again" }, p.dispatcher)).toBeInstanceOf(ConflictError);
  });
});

describe("defer", () => {
  it("parks a case until its review date, which becomes its deadline, then resumes with a fresh one", () => {
    const s = caseIn("accepted");
    const reviewAt = plus(s.now, 24 * 14);
    const d = s.act({ action: "defer", reason: "wait for the dry season", reviewAt }, p.dispatcher);
    expect(s.c).toMatchObject({ state: "accepted", flags: { deferred: true }, dueAt: reviewAt, timer: { stage: "review", dueAt: reviewAt } });
    expect(d.timers).toEqual({ set: [{ stage: "review", dueAt: reviewAt }], clear: ["dispatch"] });
    const resumed = s.fire();
    expect(resumed.events[0].type).toBe("resumed");
    expect(s.c).toMatchObject({ flags: { deferred: false }, timer: { stage: "dispatch", dueAt: plus(s.now, 4) } });
  });

  it("ends when the case moves on, and needs a future review date", () => {
    const s = caseIn("accepted");
    expect(s.refuse({ action: "defer", reason: "x", reviewAt: T0.toISOString() }, p.dispatcher)).toBeInstanceOf(InvalidError);
    s.act({ action: "defer", reason: "x", reviewAt: plus(s.now, 48) }, p.dispatcher);
    s.act({ action: "dispatch", to: { kind: "department", id: "dept-city" }, reason: "now" }, p.dispatcher, 1);
    expect(s.c).toMatchObject({ flags: { deferred: false }, timer: { stage: "handle" } });
  });
});

describe("default evaluation", () => {
  it("closes a verified case nobody evaluated in time with the configured default", () => {
    const s = caseIn("verified");
    s.cfg = rules({ defaultEvaluation: "average" });
    const d = s.fire();
    expect(s.c).toMatchObject({ state: "closed", evaluation: { level: "average", byDefault: true, by: { kind: "system" } } });
    expect(d.timers).toEqual({ set: [], clear: ["evaluate"] });
  });

  it("defaults to satisfied", () => {
    const s = caseIn("verified");
    s.fire();
    expect(s.c.evaluation?.level).toBe("satisfied");
  });
});

describe("reporting", () => {
  it("requires the channel to fit the reporter", () => {
    expect(() => decide(null, reportInput({ channel: "hotline" }), p.gridWorker, T0, rules())).toThrow(ForbiddenError);
    expect(() => decide(null, reportInput({ channel: "resident" }), p.gridWorker, T0, rules())).toThrow(ForbiddenError);
    expect(() => decide(null, reportInput(), p.auditor, T0, rules())).toThrow(ForbiddenError);
    const d = decide(null, reportInput({ channel: "hotline", origin: { ref: "12345-778" } }), p.hotline, T0, rules());
    expect(d.next).toMatchObject({ reporter: { kind: "api_key", id: "key-hotline" }, origin: { channel: "hotline", ref: "12345-778" } });
  });

  it("diverts a non-police matter from the police into the grid flow and records its origin", () => {
    const d = decide(null, reportInput({ channel: "police", origin: { ref: "JQ-2025-9", forwardedBy: "officer Li" } }), p.police, T0, rules());
    expect(d.next).toMatchObject({
      state: "reported", origin: { channel: "police", diverted: true, ref: "JQ-2025-9", forwardedBy: "officer Li" },
    });
    expect(() => decide(null, reportInput({ channel: "police" }), p.police, T0, rules({ policeCategory: true }))).toThrow(InvalidError);
  });

  it("rejects a malformed action with per-field details", () => {
    const e = (() => {
      try {
        decide(null, reportInput({ location: { lng: 500, lat: 24 }, description: "" }), p.gridWorker, T0, rules());
      } catch (err) {
        return err as InvalidError;
      }
    })();
    expect(e).toBeInstanceOf(InvalidError);
    expect((e!.details as { fields: { path: string }[] }).fields.map((f) => f.path).sort()).toEqual(["description", "location.lng"]);
    expect(() => decide(caseIn("reported").c, { action: "fly" }, p.dispatcher, T0, rules())).toThrow(InvalidError);
  });

  it("records the category's departments and starts the accept deadline", () => {
    const { next } = decide(null, reportInput(), p.gridWorker, T0, rules());
    expect(next).toMatchObject({
      candidateDepartments: ["dept-city", "dept-housing"], responsibleDepartmentId: "dept-city", unitPath: GRID_PATH,
      deadlines: { accept: plus(T0, 2) }, createdAt: T0.toISOString(), version: 1,
    });
  });

  it("explains a refused action with the state and what the actor may do instead", () => {
    const s = caseIn("reported");
    const e = s.refuse({ action: "start" }, p.dispatcher) as ConflictError;
    expect(e.details).toEqual({ state: "reported", allowedActions: ["accept", "reject", "merge", "comment"] });
  });
});
