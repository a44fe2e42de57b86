import { describe, it, expect } from "vitest";
import { applyNotice, calendarWarnings, coveredYears, deadlineWarnings, HolidayNotice, noticeFromCsv, withDeadlineWarnings } from "./coverage.ts";
import { addDuration } from "./deadline.ts";
import { defaultCalendar } from "./schema.ts";

const cal = defaultCalendar(); // bundled: 2026 only

describe("years without official holiday data", () => {
  it("warns about next year from 1 November county time (16:00 UTC on 31 October), not before", () => {
    expect(coveredYears(cal)).toEqual(new Set([2026]));
    expect(calendarWarnings(cal, new Date("2026-10-31T15:59:59Z"))).toEqual([]);
    const w = calendarWarnings(cal, new Date("2026-10-31T16:00:00Z")); // 00:00 on 1 November in Shanghai
    expect(w).toEqual([{ code: "holidays_missing", year: 2027, message: expect.stringMatching(/no official holidays for 2027/) }]);
  });

  it("warns about the current year when it has no data at all", () => {
    expect(calendarWarnings(cal, new Date("2027-03-01T00:00:00Z")).map((x) => x.year)).toEqual([2027]);
    expect(calendarWarnings(cal, new Date("2027-11-01T00:00:00Z")).map((x) => x.year)).toEqual([2027, 2028]);
  });

  it("names the case deadline that falls in an uncovered year, from 1 November before it", () => {
    const view = { case: { dueAt: "2027-01-04T09:00:00.000Z" } };
    expect(withDeadlineWarnings(view, cal, new Date("2026-10-20T00:00:00Z"))).toEqual(view);
    expect(withDeadlineWarnings(view, cal, new Date("2026-12-30T00:00:00Z")).warnings).toEqual([{ code: "holidays_missing", year: 2027, field: "case.dueAt", message: expect.any(String) }]);
    // a deadline at 23:30 UTC on 31 December 2026 is 07:30 on 1 January 2027 in the county: 2027
    expect(deadlineWarnings(cal, { dueAt: "2026-12-31T23:30:00Z" }, new Date("2026-12-30T00:00:00Z")).map((x) => x.year)).toEqual([2027]);
    expect(deadlineWarnings(cal, { dueAt: "2026-12-31T15:30:00Z" }, new Date("2026-12-30T00:00:00Z"))).toEqual([]);
  });

  it("falls back to Monday–Friday in an uncovered year, and follows the notice once imported", () => {
    // Thursday 31 December 2026 16:00 + 8 working hours: without 2027 data, 1 January 2027 (Friday) is a working day
    const start = new Date("2026-12-31T08:00:00Z");
    expect(addDuration(cal, start, { amount: 8, unit: "working_hours" }).toISOString()).toBe("2027-01-01T08:30:00.000Z");
    const notice = HolidayNotice.parse({ year: 2027, holidays: ["2027-01-01", "2027-01-02", "2027-01-03"], workdays: [] });
    const withNotice = { ...cal, ...applyNotice(cal, notice) };
    expect(addDuration(withNotice, start, { amount: 8, unit: "working_hours" }).toISOString()).toBe("2027-01-04T08:30:00.000Z");
    expect(calendarWarnings(withNotice, new Date("2026-12-01T00:00:00Z"))).toEqual([]);
  });
});

describe("the State Council notice file", () => {
  it("reads CSV with 休/班 or holiday/workday types", () => {
    const csv = "date,type\n2027-01-01,休\n2027-02-06,holiday\n2027-02-07,班\n";
    expect(noticeFromCsv(csv)).toEqual({ year: 2027, holidays: ["2027-01-01", "2027-02-06"], workdays: ["2027-02-07"] });
    expect(noticeFromCsv("date,type\n2027-01-01,off\n")).toEqual({ __csvErrors: [{ path: "line 2", message: 'type must be holiday/休 or workday/班, got "off"' }] });
  });

  it("refuses dates outside the year, a date both off and working, and a weekday as a make-up day", () => {
    const r = HolidayNotice.safeParse({ year: 2027, holidays: ["2027-01-01", "2028-01-01"], workdays: ["2027-01-01", "2027-01-05"] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual(["holidays.1: not in 2027", "workdays.0: also listed as a holiday", "workdays.1: a make-up working day is a Saturday or Sunday"]);
  });

  it("replaces only the notice's year", () => {
    const next = applyNotice({ holidays: ["2026-10-01", "2027-05-01"], workdays: ["2026-10-10", "2027-05-08"] }, HolidayNotice.parse({ year: 2027, holidays: ["2027-01-01"] }));
    expect(next).toEqual({ holidays: ["2026-10-01", "2027-01-01"], workdays: ["2026-10-10"] });
  });
});
