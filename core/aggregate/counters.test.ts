import { describe, it, expect } from "vitest";
import { Story, people, photo, HOUR } from "../case/fixtures.ts";
import { toDomainEvents, type DomainEvent } from "../case/repo.ts";
import { countersFor } from "./counters.ts";

/** Every domain event of a story, as the events consumer receives them. */
const eventsOf = (s: Story): DomainEvent[] => s.log.flatMap((d) => toDomainEvents(d.next, d.events));

/** Sum of countersFor over the events: subject key → counter → total. */
function totals(events: DomainEvent[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const e of events) {
    for (const [subject, counters] of countersFor(e)) {
      const m = (out[subject] ??= {});
      for (const [name, by] of counters) m[name] = (m[name] ?? 0) + by;
    }
  }
  return out;
}

const UNITS = ["unit#county", "unit#street1", "unit#comm1", "unit#grid1"];

describe("countersFor over whole case stories", () => {
  it("counts a claimed case closed on time for every unit level, the department and the reporting worker", () => {
    const s = new Story();
    s.act({ action: "accept" }, people.dispatcher, 1);
    s.act({ action: "claim" }, people.cityStaff);
    s.act({ action: "handle", note: "cleared", attachments: photo }, people.cityStaff, 2);
    s.act({ action: "verify", pass: true, attachments: photo }, people.gridWorker, 1);
    s.act({ action: "evaluate", level: "satisfied" }, people.gridWorker, 1);
    const t = totals(eventsOf(s));
    for (const u of UNITS) {
      expect(t[u]).toEqual({
        reports: 1,
        validReports: 1,
        registered: 1,
        acceptedOnTime: 1,
        dispatched: 1,
        dispatchedOnTime: 1,
        handled: 1,
        handledOnTime: 1,
        verified: 1,
        verifiedOnTime: 1,
        eval_satisfied: 1,
        closed: 1,
        closedOnTime: 1,
      });
    }
    expect(t["department#dept-city"]).toEqual({ claims: 1, claimPoints: 1, handled: 1, handledOnTime: 1, eval_satisfied: 1, closed: 1, closedOnTime: 1 });
    expect(t["worker#u-gw"]).toEqual({ reports: 1, validReports: 1, verified: 1, verifiedOnTime: 1, eval_satisfied: 1, reportChecks: 1, reportChecksOnTime: 1 });
  });

  it("counts a late handling, the supervision that follows and a late close", () => {
    const s = new Story({ cfg: { claimWindow: false } });
    s.act({ action: "accept" }, people.dispatcher, 1);
    s.act({ action: "dispatch", to: { kind: "department", id: "dept-city" }, reason: "city" }, people.dispatcher, 1);
    s.fire(); // handle deadline → overdue
    s.fire(); // hanging 24 h → supervised
    s.act({ action: "handle", note: "finally", attachments: photo }, people.cityStaff, 1);
    s.act({ action: "verify", pass: true, attachments: photo }, people.gridWorker, 1);
    s.act({ action: "close" }, people.dispatcher, 1);
    const t = totals(eventsOf(s));
    expect(t["unit#grid1"]).toMatchObject({ dispatched: 1, dispatchedOnTime: 1, overdue_handle: 1, supervised: 1, handled: 1, handledLate: 1, closed: 1, closedLate: 1 });
    expect(t["unit#grid1"].handledOnTime).toBeUndefined();
    expect(t["unit#grid1"].closedOnTime).toBeUndefined();
    expect(t["department#dept-city"]).toMatchObject({ dispatched: 1, overdue_handle: 1, supervised: 1, handled: 1, handledLate: 1, closed: 1, closedLate: 1 });
  });

  it("counts a failed verification as rework for the department and as a check for the worker", () => {
    const s = new Story({ cfg: { claimWindow: false } });
    s.act({ action: "accept" }, people.dispatcher);
    s.act({ action: "dispatch", to: { kind: "department", id: "dept-city" }, reason: "city" }, people.dispatcher);
    s.act({ action: "handle", note: "done", attachments: photo }, people.cityStaff, 1);
    s.act({ action: "verify", pass: false, note: "still there" }, people.gridWorker, 30); // verify limit is 24 h
    const t = totals(eventsOf(s));
    expect(t["worker#u-gw"]).toMatchObject({ verifyFailed: 1, verifyFailedLate: 1 });
    expect(t["unit#grid1"]).toMatchObject({ verifyFailed: 1, verifyFailedLate: 1, rework: 1 });
    expect(t["department#dept-city"]).toMatchObject({ rework: 1 });
    expect(t["department#dept-city"].supervised).toBeUndefined();
  });

  it("counts an on-the-spot resolution as valid, resolved and closed on time, once", () => {
    const before = new Story();
    before.act({ action: "resolve", note: "moved the bin", attachments: photo }, people.gridWorker);
    const t1 = totals(eventsOf(before));
    expect(t1["unit#grid1"]).toEqual({ reports: 1, validReports: 1, resolvedOnSpot: 1, closed: 1, closedOnTime: 1 });
    expect(t1["worker#u-gw"]).toEqual({ reports: 1, validReports: 1, resolvedOnSpot: 1 });

    const after = new Story({ cfg: { claimWindow: false } });
    after.act({ action: "accept" }, people.dispatcher);
    after.act({ action: "resolve", note: "moved the bin", attachments: photo }, people.gridWorker);
    const t2 = totals(eventsOf(after));
    expect(t2["worker#u-gw"].validReports).toBe(1);
    expect(t2["unit#grid1"].validReports).toBe(1);
  });

  it("marks a report from a resident as a missed report of the grid, and a grid worker's as not", () => {
    const resident = totals(eventsOf(new Story({ by: people.resident, report: { channel: "resident" } })));
    expect(resident["unit#grid1"]).toEqual({ reports: 1, reportsPublic: 1 });
    expect(resident["worker#r-1"]).toBeUndefined();
    const worker = totals(eventsOf(new Story()));
    expect(worker["unit#grid1"]).toEqual({ reports: 1 });
  });

  it("counts a default evaluation as a check the reporting worker missed", () => {
    const s = new Story({ cfg: { claimWindow: false } });
    s.act({ action: "accept" }, people.dispatcher);
    s.act({ action: "dispatch", to: { kind: "department", id: "dept-city" }, reason: "city" }, people.dispatcher);
    s.act({ action: "handle", note: "done", attachments: photo }, people.cityStaff, 1);
    s.act({ action: "verify", pass: true, attachments: photo }, people.gridWorker, 1);
    s.fire(); // evaluation window over → default evaluation, closed
    const t = totals(eventsOf(s));
    expect(t["worker#u-gw"]).toMatchObject({ reportChecks: 1, eval_satisfied: 1 });
    expect(t["worker#u-gw"].reportChecksOnTime).toBeUndefined();
    expect(t["unit#grid1"]).toMatchObject({ evalByDefault: 1, closed: 1, closedOnTime: 1 });
  });

  it("counts a resolved grid mediation as a handling and a dispute resolved in the grid", () => {
    const s = new Story({ report: { isDispute: true, categoryId: "cat-dispute" } });
    s.act({ action: "accept" }, people.dispatcher);
    s.act({ action: "mediate", outcome: "failed", note: "no agreement" }, people.gridWorker, 1);
    s.act({ action: "mediate", outcome: "resolved", note: "agreed" }, people.gridWorker, 1);
    const t = totals(eventsOf(s));
    expect(t["unit#grid1"]).toMatchObject({ mediation_grid_failed: 1, mediation_grid_resolved: 1, handled: 1, handledOnTime: 1 });
  });

  it("counts the automatic dispatch at the end of the claim window as on time", () => {
    const s = new Story();
    s.act({ action: "accept" }, people.dispatcher);
    s.now = new Date(s.now.getTime() + 3 * HOUR);
    s.fire(); // claim window over → dispatched to the responsible department
    const t = totals(eventsOf(s));
    expect(t["unit#grid1"]).toMatchObject({ dispatched: 1, dispatchedOnTime: 1 });
    expect(t["unit#grid1"].dispatchedLate).toBeUndefined();
    expect(t["department#dept-city"]).toMatchObject({ dispatched: 1 });
  });

  it("counts a claim of the window as an on-time dispatch with the category's claim points", () => {
    const s = new Story({ cfg: { claimPoints: 3 } });
    s.act({ action: "accept" }, people.dispatcher);
    s.act({ action: "claim" }, people.housingStaff);
    const t = totals(eventsOf(s));
    expect(t["department#dept-housing"]).toEqual({ claims: 1, claimPoints: 3 });
    expect(t["unit#grid1"]).toMatchObject({ dispatched: 1, dispatchedOnTime: 1 });
  });
});

describe("attribution by stage owner", () => {
  it("counts an overdue verification against the grid, not the department that handled the case", () => {
    const s = new Story({ cfg: { claimWindow: false } });
    s.act({ action: "accept" }, people.dispatcher);
    s.act({ action: "dispatch", to: { kind: "department", id: "dept-city" }, reason: "city" }, people.dispatcher);
    s.act({ action: "handle", note: "done", attachments: photo }, people.cityStaff, 1);
    s.fire(); // the grid misses the verify deadline
    s.act({ action: "verify", pass: true }, people.gridWorker, 1);
    const t = totals(eventsOf(s));
    expect(t["unit#grid1"].overdue_verify).toBe(1);
    expect(t["department#dept-city"]?.overdue_verify).toBeUndefined();
  });

  it("counts an overdue handling and its supervision against the department that owned it", () => {
    const s = new Story({ cfg: { claimWindow: false } });
    s.act({ action: "accept" }, people.dispatcher);
    s.act({ action: "dispatch", to: { kind: "department", id: "dept-city" }, reason: "city" }, people.dispatcher);
    s.fire(); // handle deadline
    s.fire(); // left hanging: supervised
    const t = totals(eventsOf(s));
    expect(t["department#dept-city"]).toMatchObject({ overdue_handle: 1, supervised: 1 });
  });
});

describe("the writes of an event: day counters ride on the unit's month item (#16)", () => {
  // imported here, not at the top: the stories above need only countersFor
  const load = () => import("./apply.ts");
  const reportedAt = (at: string): DomainEvent => ({ ...eventsOf(new Story())[0], at });

  it("puts dDD_ attributes on the unit month writes, none on department or worker writes, and writes no AGG#<day> item", async () => {
    const { counterWritesOf } = await load();
    const w = counterWritesOf(reportedAt("2026-12-05T02:00:00Z"), "Asia/Shanghai");
    // the open count's change rides on the month item too (openDelta, #16 B), no AGG#live write
    expect(new Set(w.map((x) => x.period))).toEqual(new Set(["2026-12"]));
    const grid = w.find((x) => x.period === "2026-12" && x.subject === "unit#grid1")!;
    expect(Object.fromEntries(grid.counters)).toEqual({ reports: 1, d05_reports: 1, openDelta: 1 });
    // an event of a folded month: its open change goes to the base (AGG#live), none on the month item
    const late = counterWritesOf(reportedAt("2026-12-05T02:00:00Z"), "Asia/Shanghai", "base");
    expect(Object.fromEntries(late.find((x) => x.period === "live" && x.subject === "unit#grid1")!.counters)).toEqual({ open: 1 });
    expect(late.find((x) => x.period === "2026-12" && x.subject === "unit#grid1")!.counters.has("openDelta")).toBe(false);
    const worker = w.find((x) => x.subject === "worker#u-gw")!;
    expect(Object.fromEntries(worker.counters)).toEqual({ reports: 1 });
  });

  it("takes the county day: 23:30 UTC on 4 December is the 5th in Shanghai", async () => {
    const { counterWritesOf } = await load();
    const w = counterWritesOf(reportedAt("2026-12-04T23:30:00Z"), "Asia/Shanghai");
    expect(w.find((x) => x.subject === "unit#grid1" && x.period === "2026-12")!.counters.get("d05_reports")).toBe(1);
  });

  it("a batch over two days adds both days and removes only the days before the latest, never a day it adds", async () => {
    const { counterWritesOf, mergeCounterWrites } = await load();
    const { counterUpdate } = await import("./repo.ts");
    const merged = mergeCounterWrites([
      ...counterWritesOf({ ...reportedAt("2026-12-03T02:00:00Z"), id: "a" }, "Asia/Shanghai"),
      ...counterWritesOf({ ...reportedAt("2026-12-04T02:00:00Z"), id: "b" }, "Asia/Shanghai"),
    ]);
    const grid = merged.find((x) => x.period === "2026-12" && x.subject === "unit#grid1")!;
    expect(Object.fromEntries(grid.counters)).toEqual({ reports: 2, d03_reports: 1, d04_reports: 1, openDelta: 2 });
    const u = counterUpdate(grid);
    const removed = Object.entries(u.ExpressionAttributeNames).filter(([k]) => k.startsWith("#r")).map(([, v]) => v);
    expect(removed).toContain("d01_reports");
    expect(removed).toContain("d03_closed");
    expect(removed).not.toContain("d03_reports");
    expect(removed.some((n) => n.startsWith("d04_"))).toBe(false);
    expect(u.UpdateExpression).toMatch(/ REMOVE #r0, /);
    // a worker's month write has no day attributes and removes nothing
    expect(counterUpdate(merged.find((x) => x.subject === "worker#u-gw")!).UpdateExpression).not.toContain("REMOVE");
  });
});
