import { describe, it, expect } from "vitest";
import { Calendar, Duration, WorkPeriods, defaultCalendar } from "./schema.ts";
import { isWorkingDay } from "./deadline.ts";

function issues(schema: { safeParse(x: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, input: unknown) {
  const r = schema.safeParse(input);
  return r.success ? [] : r.error!.issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`);
}

describe("Calendar schema", () => {
  it("fills in the defaults: Asia/Shanghai, 08:30–12:00 and 13:30–17:30, Monday to Friday", () => {
    expect(Calendar.parse({})).toEqual({
      timeZone: "Asia/Shanghai",
      periods: [
        { start: "08:30", end: "12:00" },
        { start: "13:30", end: "17:30" },
      ],
      weekdays: [1, 2, 3, 4, 5],
      holidays: [],
      workdays: [],
    });
  });

  it("accepts the default calendar", () => {
    expect(Calendar.parse(defaultCalendar())).toEqual(defaultCalendar());
  });

  it("refuses bad periods: malformed, reversed, overlapping, unsorted, too many", () => {
    expect(issues(WorkPeriods, [{ start: "8:30", end: "12:00" }])).toEqual(["0.start: Expected a time HH:MM (00:00–23:59)"]);
    expect(issues(WorkPeriods, [{ start: "12:00", end: "08:30" }])).toEqual(["0.end: A working period must start before it ends"]);
    expect(issues(WorkPeriods, [{ start: "08:00", end: "12:00" }, { start: "11:00", end: "13:00" }])).toEqual([
      "1.start: Working periods must be in order and must not overlap",
    ]);
    expect(issues(WorkPeriods, [{ start: "13:00", end: "14:00" }, { start: "08:00", end: "09:00" }])).toHaveLength(1);
    expect(issues(WorkPeriods, [])).toHaveLength(1);
    const five = ["00", "04", "08", "12", "16"].map((h) => ({ start: `${h}:00`, end: `${h}:30` }));
    expect(issues(WorkPeriods, five)).toHaveLength(1);
    expect(issues(WorkPeriods, [{ start: "08:00", end: "12:00" }, { start: "12:00", end: "24:00" }])).toEqual([]);
  });

  it("refuses unknown zones, bad weekdays, impossible dates and a date both off and worked", () => {
    expect(issues(Calendar, { timeZone: "Asia/Beijing" })).toEqual(["timeZone: Unknown time zone, expected an IANA name such as Asia/Shanghai"]);
    expect(issues(Calendar, { weekdays: [0, 1] })).toHaveLength(1);
    expect(issues(Calendar, { weekdays: [1, 1] })).toEqual(["weekdays: Weekdays must not repeat"]);
    expect(issues(Calendar, { weekdays: [] })).toHaveLength(1);
    expect(issues(Calendar, { holidays: ["2026-02-30"] })).toEqual(["holidays.0: Not a real calendar date"]);
    expect(issues(Calendar, { holidays: ["2026-02-14"], workdays: ["2026-02-28", "2026-02-14"] })).toEqual([
      "workdays.1: 2026-02-14 cannot be both a holiday and a make-up working day",
    ]);
  });
});

describe("Duration schema", () => {
  it("accepts positive amounts in the four units", () => {
    expect(Duration.parse({ amount: 0.5, unit: "working_hours" })).toEqual({ amount: 0.5, unit: "working_hours" });
    expect(Duration.parse({ amount: 3, unit: "working_days" }).unit).toBe("working_days");
  });

  it("refuses zero, negative, fractional days, oversized and unknown units", () => {
    expect(issues(Duration, { amount: 0, unit: "working_hours" })).toHaveLength(1);
    expect(issues(Duration, { amount: -2, unit: "calendar_hours" })).toHaveLength(1);
    expect(issues(Duration, { amount: 1.5, unit: "working_days" })).toEqual(["amount: A number of days must be a whole number"]);
    expect(issues(Duration, { amount: 200_000, unit: "working_hours" })).toEqual(["amount: At most 100000 hours"]);
    expect(issues(Duration, { amount: 1, unit: "weeks" })).toHaveLength(1);
  });
});

describe("defaultCalendar", () => {
  it("bundles China's 2026 statutory holidays and make-up days", () => {
    const cal = defaultCalendar(2026);
    expect(cal.holidays).toHaveLength(33);
    expect(cal.workdays).toEqual(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]);
    for (const d of ["2026-01-01", "2026-02-15", "2026-02-23", "2026-04-06", "2026-05-05", "2026-06-19", "2026-09-27", "2026-10-07"]) {
      expect(isWorkingDay(cal, d)).toBe(false);
    }
    for (const d of cal.workdays) expect(isWorkingDay(cal, d)).toBe(true);
  });

  it("has no statutory data for a year that is not bundled", () => {
    expect(defaultCalendar(2031)).toMatchObject({ holidays: [], workdays: [] });
  });

  it("returns a fresh object each time so a county can edit it", () => {
    const a = defaultCalendar();
    a.holidays.push("2026-03-02");
    a.periods[0].start = "09:00";
    expect(defaultCalendar().holidays).not.toContain("2026-03-02");
    expect(defaultCalendar().periods[0].start).toBe("08:30");
  });
});
