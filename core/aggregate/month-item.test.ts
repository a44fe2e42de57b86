import { describe, it, expect } from "vitest";
import { itemSize } from "../ops/cost/units.ts";
import { EVALUATION_LEVELS, MEDIATION_LADDER } from "../case/levels.ts";
import { DeadlineStage } from "../case/schema.ts";
import { DAILY, OPEN_DELTA, dayAttribute, dayCounters, monthCounters, staleDayAttributes } from "./month-item.ts";

/** Every counter a unit's month item may hold outside a dispute's mediation ladder (core/aggregate/counters.ts). */
const UNIT_COUNTERS = [
  ...("reports reportsPublic urgent validReports invalid merged registered acceptedOnTime acceptedLate dispatched dispatchedOnTime " +
    "dispatchedLate transfers handled handledOnTime handledLate verified verifiedOnTime verifiedLate verifyFailed verifyFailedOnTime " +
    "verifyFailedLate closed closedOnTime closedLate rework supervised reopened escalated resolvedOnSpot evalByDefault").split(" "),
  ...EVALUATION_LEVELS.map((l) => `eval_${l}`),
  ...DeadlineStage.options.map((s) => `overdue_${s}`),
];
const MEDIATION = MEDIATION_LADDER.flatMap((l) => [`mediation_${l}_resolved`, `mediation_${l}_failed`]);

const unitMonthItem = (counters: string[]) => {
  const id = "01JF0000000000000000000000"; // a ULID
  const item: Record<string, unknown> = { pk: "AGG#2026-12", sk: `unit#${id}`, _et: "Aggregate", subject: `unit#${id}`, month: "2026-12" };
  for (const n of counters) item[n] = 123456;
  return item;
};

describe("size of a unit's month aggregate (a transactional write of an item under 1 KB bills 2 WRU, over it 4)", () => {
  it("stays under 1 KB with every counter name at 6 digits, today's day attributes, one stale day and openDelta", () => {
    const item = unitMonthItem(UNIT_COUNTERS);
    for (const c of DAILY) {
      item[dayAttribute("2026-12-31", c)] = 123456; // today
      item[dayAttribute("2026-12-30", c)] = 123456; // a stale day left by a late event
    }
    item[OPEN_DELTA] = -123456;
    expect(itemSize(item)).toBeLessThan(1024);
  });

  it("(known, not guarded) a unit whose month also saw mediations at every ladder level is over 1 KB without any day attribute", () => {
    // every event of its subtree then bills 4 WRU on this item: a county-level item in a county with
    // many disputes; docs/cost.md "Write units per case" says so
    expect(itemSize(unitMonthItem([...UNIT_COUNTERS, ...MEDIATION]))).toBeGreaterThan(1024);
  });
});

describe("reading a unit's month item", () => {
  const raw = { pk: "AGG#2026-12", sk: "unit#u1", _et: "Aggregate", subject: "unit#u1", month: "2026-12", _sv: 1, reports: 9, closed: 2, d04_reports: 3, d05_reports: 4, d05_closed: 1, openDelta: 7 };
  it("month counters leave out keys, day attributes and openDelta", () => {
    expect(monthCounters(raw)).toEqual({ reports: 9, closed: 2 });
  });
  it("a day's counters are its dDD_ attributes", () => {
    expect(dayCounters(raw, "2026-12-05")).toEqual({ reports: 4, closed: 1 });
    expect(dayCounters(raw, "2026-12-04")).toEqual({ reports: 3 });
    expect(dayCounters(raw, "2026-12-06")).toEqual({});
  });
  it("a write removes the day attributes of the days before its latest day, never a name it adds", () => {
    expect(staleDayAttributes(["reports", "closed"])).toEqual([]);
    expect(staleDayAttributes(["reports", "d01_reports"])).toEqual([]);
    expect(staleDayAttributes(["d03_reports"])).toEqual([...DAILY.map((c) => `d01_${c}`), ...DAILY.map((c) => `d02_${c}`)]);
    const both = staleDayAttributes(["d02_reports", "d03_reports", "d03_closed"]);
    expect(both).not.toContain("d02_reports");
    expect(both).toContain("d02_closed");
    expect(both).toContain("d01_reports");
    expect(both.some((n) => n.startsWith("d03_"))).toBe(false);
    expect(staleDayAttributes(["d31_reports"])).toHaveLength(30 * DAILY.length);
  });
});
