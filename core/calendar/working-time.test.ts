import { describe, it, expect } from "vitest";
import { caseIn, people as p } from "../case/fixtures.ts";
import { addDuration, nextWorkingMoment } from "./deadline.ts";
import { defaultCalendar } from "./schema.ts";
import type { DecideConfig } from "../case/schema.ts";

const cal = defaultCalendar(); // Asia/Shanghai, 08:30–12:00 and 13:30–17:30, Mon–Fri, 2026 statutory days

/** The calendar hooks the service gives `decide` (core/case/config.ts), with the handle deadline pinned. */
const withCalendar = (handleDue: Date): Partial<DecideConfig> => ({
  deadlineFor: (stage, from) => (stage === "handle" ? handleDue : addDuration(cal, from, { amount: 2, unit: "working_hours" })),
  addWorkingHours: (from, hours) => addDuration(cal, from, { amount: hours, unit: "working_hours" }),
  reminderAt: (from, hours) => nextWorkingMoment(cal, new Date(from.getTime() + hours * 3_600_000)),
});

describe("working time in the case loop", () => {
  it("adds an approved extension as working time: Friday 16:00 + 4 h is Monday 11:00", () => {
    const s = caseIn("in_progress");
    s.cfg = { ...s.cfg, ...withCalendar(new Date("2026-03-06T08:00:00Z")) }; // Friday 16:00 in the county
    s.c = { ...s.c, dueAt: "2026-03-06T08:00:00.000Z", deadlines: { ...s.c.deadlines, handle: "2026-03-06T08:00:00.000Z" } };
    s.act({ action: "extend_request", hours: 4, reason: "parts on order" }, p.cityStaff);
    s.act({ action: "extend_approve" }, p.dispatcher);
    expect(s.c.dueAt).toBe("2026-03-09T03:00:00.000Z"); // Monday 11:00 (plain hours would say Friday 20:00)
    expect(s.c.timer).toEqual({ stage: "handle", dueAt: "2026-03-09T03:00:00.000Z" });
  });

  it("runs supervision reminders on working days: one due on Saturday waits for Monday 08:30", () => {
    const s = caseIn("dispatched");
    s.cfg = { ...s.cfg, ...withCalendar(new Date("2026-03-06T08:00:00Z")) };
    s.c = { ...s.c, dueAt: "2026-03-06T08:00:00.000Z", timer: { stage: "handle", dueAt: "2026-03-06T08:00:00.000Z" } };
    s.now = new Date("2026-03-06T08:00:00Z");
    const overdue = s.fire();
    expect(overdue.timers.set).toEqual([{ stage: "hang", dueAt: "2026-03-09T00:30:00.000Z" }]); // not Saturday 16:00
  });

  it("skips statutory holidays for reminders (National Day 2026) and counts the make-up Saturday", () => {
    expect(nextWorkingMoment(cal, new Date("2026-10-01T02:00:00Z")).toISOString()).toBe("2026-10-08T00:30:00.000Z");
    expect(nextWorkingMoment(cal, new Date("2026-10-10T02:00:00Z")).toISOString()).toBe("2026-10-10T02:00:00.000Z");
  });
});
