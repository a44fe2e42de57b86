import { describe, it, expect } from "vitest";
import { calendarBody, changed, dayKind, isoWeekday, monthGrid, toggleDay, type WorkingCalendar } from "./model.ts";

const cal: WorkingCalendar = {
  timeZone: "Asia/Shanghai",
  periods: [{ start: "08:30", end: "12:00" }],
  weekdays: [1, 2, 3, 4, 5],
  holidays: ["2026-10-01"],
  workdays: ["2026-10-10"],
  version: 3,
};

describe("working calendar model", () => {
  it("numbers weekdays from Monday = 1 to Sunday = 7", () => {
    expect(isoWeekday("2026-06-01")).toBe(1); // a Monday
    expect(isoWeekday("2026-06-07")).toBe(7);
  });

  it("lets a listed holiday or make-up day win over the weekday rule", () => {
    expect(dayKind(cal, "2026-10-01")).toBe("holiday"); // Thursday
    expect(dayKind(cal, "2026-10-10")).toBe("makeup"); // Saturday
    expect(dayKind(cal, "2026-10-12")).toBe("workday");
    expect(dayKind(cal, "2026-10-11")).toBe("rest");
  });

  it("turns a working day into a holiday and back", () => {
    const once = toggleDay(cal, "2026-10-12");
    expect(dayKind(once, "2026-10-12")).toBe("holiday");
    expect(dayKind(toggleDay(once, "2026-10-12"), "2026-10-12")).toBe("workday");
  });

  it("turns a rest day into a make-up working day and back", () => {
    const once = toggleDay(cal, "2026-10-11");
    expect(once.workdays).toEqual(["2026-10-10", "2026-10-11"]);
    expect(toggleDay(once, "2026-10-11").workdays).toEqual(["2026-10-10"]);
  });

  it("returns a listed weekend holiday to a plain rest day, never into both lists", () => {
    const c = { ...cal, holidays: ["2026-10-03"] }; // a Saturday
    const next = toggleDay(c, "2026-10-03");
    expect(next.holidays).toEqual([]);
    expect(next.workdays).not.toContain("2026-10-03");
  });

  it("lays a month out in Monday-first weeks", () => {
    const weeks = monthGrid(2026, 2); // 1 Feb 2026 is a Sunday
    expect(weeks[0]).toEqual([null, null, null, null, null, null, "2026-02-01"]);
    expect(weeks.flat().filter(Boolean)).toHaveLength(28);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
  });

  it("sends the version read and sorted lists, and sees when the draft changed", () => {
    const edited = toggleDay(cal, "2026-01-05");
    expect(calendarBody(edited)).toMatchObject({ version: 3, holidays: ["2026-01-05", "2026-10-01"] });
    expect(changed(cal, edited)).toBe(true);
    expect(changed(cal, { ...cal })).toBe(false);
  });
});
