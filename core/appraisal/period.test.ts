import { describe, it, expect } from "vitest";
import { isFuture, periodOf, periodToAppraise, previousPeriod, quarterOf, shiftPeriod } from "./period.ts";

describe("county months", () => {
  it("takes the month of an instant in county time, not UTC", () => {
    expect(periodOf("2026-03-31T16:30:00Z", "Asia/Shanghai")).toBe("2026-04");
    expect(periodOf("2026-03-31T15:59:59Z", "Asia/Shanghai")).toBe("2026-03");
  });

  it("moves across years", () => {
    expect(previousPeriod("2026-01")).toBe("2025-12");
    expect(shiftPeriod("2025-12", 1)).toBe("2026-01");
    expect(shiftPeriod("2026-03", -15)).toBe("2024-12");
  });

  it("groups months into quarters", () => {
    expect(["2026-01", "2026-03", "2026-04", "2026-09", "2026-12"].map(quarterOf)).toEqual(["2026-Q1", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
  });

  it("appraises the month that just ended when the schedule fires at 16:05 UTC on the last day (00:05 on the 1st in the county)", () => {
    expect(periodToAppraise(new Date("2026-02-28T16:05:00Z"), "Asia/Shanghai")).toBe("2026-02");
    expect(periodToAppraise(new Date("2026-12-31T16:05:00Z"), "Asia/Shanghai")).toBe("2026-12");
  });

  it("refuses months after the current county month", () => {
    const now = new Date("2026-03-31T16:30:00Z"); // 1 April in the county
    expect(isFuture("2026-04", now, "Asia/Shanghai")).toBe(false);
    expect(isFuture("2026-05", now, "Asia/Shanghai")).toBe(true);
  });
});
