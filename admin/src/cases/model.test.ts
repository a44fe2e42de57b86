import { describe, it, expect } from "vitest";
import { ACTION_NAMES } from "../../../core/case/schema.ts";
import { ACTION_FORMS, ACTION_ORDER, actionBody, actionDefaults, caseQuery, caseRecord, dayToIso, defaultQueue, pickQueue, QUEUES, timeLeft, timelineAttachments, visibleActions, workQueues } from "./model.ts";

describe("case desk queues", () => {
  it("turn each queue into the API's filter, the queue winning over a state filter", () => {
    expect(caseQuery({ queue: "to_accept", state: "closed" })).toEqual({ state: "reported" });
    expect(caseQuery({ queue: "claimable" })).toEqual({ state: "claimable" });
    expect(caseQuery({ queue: "mine" })).toEqual({ mine: "true" });
    expect(caseQuery({ queue: "reported", state: "closed" })).toEqual({ reportedByMe: "true", state: "closed" });
    expect(caseQuery({ queue: "overdue", state: "dispatched" })).toEqual({ overdue: "true", state: "dispatched" });
    expect(caseQuery({ queue: "supervised" })).toEqual({ supervised: "true" });
    expect(caseQuery({ queue: "to_verify" })).toEqual({ state: "handled" });
    expect(caseQuery({ queue: "all" })).toEqual({});
    expect(caseQuery({ queue: "nonsense", unitId: " u1 ", categoryId: "" })).toEqual({ unitId: "u1" });
  });

  it("send report dates as whole days, the end day included", () => {
    const q = caseQuery({ queue: "all", from: "2026-03-01", to: "2026-03-31" });
    expect(q.from).toBe(new Date(2026, 2, 1).toISOString());
    expect(q.to).toBe(new Date(2026, 3, 1).toISOString());
    expect(dayToIso("")).toBeUndefined();
    expect(dayToIso("not a day")).toBeUndefined();
    expect(dayToIso("2026-03-01T08:00:00Z")).toBe("2026-03-01T08:00:00.000Z");
  });

  it("land department staff on their department, the center on its intake, workers on verification", () => {
    expect(defaultQueue(["department_staff"])).toBe("mine");
    expect(defaultQueue(["dispatcher"])).toBe("to_accept");
    expect(defaultQueue(["community_staff", "grid_worker"])).toBe("to_accept");
    expect(defaultQueue(["supervisor"])).toBe("supervised");
    expect(defaultQueue(["grid_worker"])).toBe("to_verify");
    expect(defaultQueue(["auditor"])).toBe("all");
    expect(QUEUES).toContain(defaultQueue([]));
  });

  it("open on the first queue of the role that has work, else on the role's first queue", () => {
    expect(workQueues(["grid_worker"])).toEqual(["to_verify", "mine", "reported"]);
    expect(pickQueue(workQueues(["grid_worker"]), [false, false, true])).toBe("reported");
    expect(pickQueue(workQueues(["grid_worker"]), [false, true, true])).toBe("mine");
    expect(pickQueue(workQueues(["grid_worker"]), [false, false, false])).toBe("to_verify");
    expect(pickQueue(workQueues(["department_staff"]), [false, true])).toBe("claimable");
    expect(pickQueue(workQueues(["auditor"]), [])).toBe("all");
  });
});

describe("case records", () => {
  it("flatten {case, allowedActions, timeline} into one record whose id is the case id", () => {
    const r = caseRecord({ case: { id: "C1", number: "2026-000001", state: "reported" }, allowedActions: ["accept"], timeline: [{ type: "reported" }] });
    expect(r).toMatchObject({ id: "C1", number: "2026-000001", state: "reported", allowedActions: ["accept"], timeline: [{ type: "reported" }] });
    expect(caseRecord({ case: { id: "C2" } }).allowedActions).toEqual([]);
    expect(caseRecord({ id: "flat" })).toEqual({ id: "flat" });
  });

  it("list each attachment of the timeline once, with the event that brought it", () => {
    const items = timelineAttachments([
      { type: "reported", attachments: [{ key: "a" }, { key: "b", kind: "voice" }] },
      { type: "handled", attachments: [{ key: "a" }, { key: "c" }] },
      { type: "commented" },
    ] as never);
    expect(items.map((i) => [i.key, i.kind, i.event.type])).toEqual([
      ["a", "photo", "reported"],
      ["b", "voice", "reported"],
      ["c", "photo", "handled"],
    ]);
  });
});

describe("time left", () => {
  const now = Date.parse("2026-05-01T00:00:00Z");
  it("counts days, hours and minutes until the deadline, and since it once overdue", () => {
    expect(timeLeft("2026-05-02T03:04:30Z", now)).toMatchObject({ overdue: false, days: 1, hours: 3, minutes: 4 });
    expect(timeLeft("2026-04-30T23:30:00Z", now)).toMatchObject({ overdue: true, days: 0, hours: 0, minutes: 30 });
    expect(timeLeft(undefined, now)).toBeUndefined();
    expect(timeLeft("garbage", now)).toBeUndefined();
  });
});

describe("case actions", () => {
  it("show only the allowed actions, main way forward first, unknown ones dropped", () => {
    expect(visibleActions(["comment", "reject", "accept", "timeout", "merge"])).toEqual(["accept", "merge", "reject", "comment"]);
    expect(visibleActions(undefined)).toEqual([]);
  });

  it("have a form for every action the API accepts from people", () => {
    expect(Object.keys(ACTION_FORMS).sort()).toEqual([...ACTION_ORDER].sort());
    expect([...ACTION_ORDER].sort()).toEqual(ACTION_NAMES.filter((a) => a !== "report" && a !== "timeout").sort());
  });

  it("build each action's body as core/case/schema.ts wants it", () => {
    expect(actionBody("reject", { reason: "  重复上报 " })).toEqual({ reason: "重复上报" });
    expect(actionBody("accept", { note: "   " })).toEqual({});
    expect(actionBody("dispatch", { to: { kind: "department", id: "dept-urban" }, reason: "职责" })).toEqual({ to: { kind: "department", id: "dept-urban" }, reason: "职责" });
    expect(actionBody("dispatch", { to: { kind: "department" }, reason: "x" })).toEqual({ reason: "x" });
    expect(actionBody("extend_request", { hours: "24", reason: "材料" })).toEqual({ hours: 24, reason: "材料" });
    expect(actionBody("defer", { reason: "等待", reviewAt: "2026-06-01T09:30" })).toEqual({ reason: "等待", reviewAt: new Date(2026, 5, 1, 9, 30).toISOString() });
    expect(actionBody("verify", { pass: false, note: "仍有垃圾" })).toEqual({ pass: false, note: "仍有垃圾" });
    expect(actionBody("verify", {})).toEqual({ pass: true });
    expect(actionBody("evaluate", { level: "satisfied", comment: "" })).toEqual({ level: "satisfied" });
    expect(actionBody("mediate", { outcome: "failed", note: "双方未达成一致" })).toEqual({ outcome: "failed", note: "双方未达成一致" });
    expect(actionBody("merge", { intoCaseId: "C9" })).toEqual({ intoCaseId: "C9" });
    expect(actionBody("handle", { note: "已清运" }, [{ key: "cases/C1/x.png", kind: "photo" }])).toEqual({ note: "已清运", attachments: [{ key: "cases/C1/x.png", kind: "photo" }] });
    expect(actionBody("claim", { note: "x" }, [{ key: "ignored" }])).toEqual({ note: "x" });
  });

  it("start verification as passed, evaluation as satisfied and dispatch to a department", () => {
    expect(actionDefaults("verify")).toEqual({ pass: true });
    expect(actionDefaults("evaluate")).toEqual({ level: "satisfied" });
    expect(actionDefaults("dispatch")).toEqual({ to: { kind: "department" } });
    expect(actionDefaults("close")).toEqual({});
  });
});
