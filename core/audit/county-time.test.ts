import { describe, it, expect } from "vitest";
import { decodeTime } from "ulid";
import { auditPlan } from "./list.ts";
import { exportFilename } from "../export/build.ts";

const SH = "Asia/Shanghai";
const range = (plan: { lo: string; hi: string }) => [new Date(decodeTime(plan.lo.slice(0, 10) + "0".repeat(16))).toISOString(), new Date(decodeTime(plan.hi.slice(0, 10) + "0".repeat(16))).toISOString()];

describe("county time for day and month boundaries", () => {
  it("reads the audit's month as the county's month, not UTC's", () => {
    const plan = auditPlan({ month: "2026-03", limit: 50 } as never, new Date("2026-04-10T00:00:00Z"), SH);
    // 1 March 00:00 in Shanghai is 28 February 16:00 UTC; the month ends 31 March 23:59:59.999 Shanghai
    expect(range(plan)).toEqual(["2026-02-28T16:00:00.000Z", "2026-03-31T15:59:59.999Z"]);
    // an entry written at 2026-02-28T16:30Z (00:30 on 1 March in the county) lies in March: both UTC partitions are read
    expect(plan.sources.map((s) => s.pk)).toEqual(["AUDIT#2026-03", "AUDIT#2026-02"]);
  });

  it("ends December at the county's new year", () => {
    const plan = auditPlan({ month: "2026-12", limit: 50 } as never, new Date("2027-01-10T00:00:00Z"), SH);
    expect(range(plan)).toEqual(["2026-11-30T16:00:00.000Z", "2026-12-31T15:59:59.999Z"]);
  });

  it("names an export file by the county's date at 23:30 UTC (00:30 next day in the county)", () => {
    expect(exportFilename({ dataset: "households", unitCode: "350206" } as never, new Date("2026-03-31T23:30:00Z"), SH)).toBe("households-350206-2026-04-01.csv");
    expect(exportFilename({ dataset: "households", unitCode: "350206" } as never, new Date("2026-03-31T15:30:00Z"), SH)).toBe("households-350206-2026-03-31.csv");
  });
});
