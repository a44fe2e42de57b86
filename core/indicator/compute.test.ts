import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { departmentIndicators, overdueOpen, rate, unitIndicators, workerIndicators } from "./compute.ts";
import { BUILTIN_BY_KEY, BUILTIN_INDICATORS } from "./builtin.ts";

/** A month of one grid, every number chosen by hand (expectations worked out in the comments). */
const UNIT_MONTH = {
  reports: 10, validReports: 8, reportsPublic: 3, invalid: 1, merged: 1, urgent: 1,
  registered: 7, acceptedOnTime: 6, acceptedLate: 1, overdue_accept: 2,
  dispatched: 6, dispatchedOnTime: 5, dispatchedLate: 1, overdue_dispatch: 1, transfers: 1,
  handled: 5, handledOnTime: 3, handledLate: 2, overdue_handle: 3,
  resolvedOnSpot: 2, closed: 6, closedOnTime: 4, closedLate: 2, rework: 2,
  verified: 4, verifiedOnTime: 3, verifiedLate: 1, verifyFailed: 1, verifyFailedOnTime: 1, overdue_verify: 2,
  supervised: 2,
  eval_very_satisfied: 2, eval_satisfied: 1, eval_average: 1, eval_dissatisfied: 1,
  mediation_grid_resolved: 3, mediation_community_resolved: 1, mediation_township_center_resolved: 1, mediation_grid_failed: 2,
};

describe("unit indicators", () => {
  it("computes every formula of a hand-worked month", () => {
    expect(unitIndicators(UNIT_MONTH)).toEqual({
      reports: 10,
      validReports: 8,
      validReportRate: 80, // 8 / 10
      invalid: 1,
      merged: 1,
      reportsPublic: 3,
      missedReportRate: 30, // 3 / 10
      urgent: 1,
      registered: 7,
      toAccept: 8, // 7 + max(0, 2 overdue − 1 late)
      onTimeAcceptRate: 75, // 6 / 8
      dispatched: 6,
      toDispatch: 6, // 6 + max(0, 1 − 1)
      onTimeDispatchRate: 83.33, // 5 / 6
      transfers: 1,
      accurateDispatchRate: 83.33, // (6 − 1) / 6
      handled: 5,
      toHandle: 6, // 5 + max(0, 3 − 2)
      onTimeHandleRate: 50, // 3 / 6
      resolvedOnSpot: 2,
      dueToClose: 8, // toHandle 6 + resolvedOnSpot 2
      closed: 6,
      closedOnTime: 4,
      closeRate: 75, // 6 / 8
      onTimeCloseRate: 50, // 4 / 8
      rework: 2,
      reworkRate: 25, // 2 / 8
      verified: 4,
      toVerify: 6, // 4 + 1 failed + max(0, 2 − 1 − 0)
      onTimeVerifyRate: 66.67, // (3 + 1) / 6
      supervised: 2,
      overdue: 8, // 2 + 1 + 3 + 2
      evaluations: 5,
      satisfactionRate: 60, // (2 + 1) / 5
      satisfactionIndex: 70, // (2·100 + 75 + 50 + 25) / 5
      disputesResolved: 5,
      disputesResolved_grid: 3,
      disputesResolved_village_group: 0,
      disputesResolved_community: 1,
      disputesResolved_township_center: 1,
      disputesResolved_county_center: 0,
      disputesResolvedInGrid: 3,
      disputesResolvedInCommunity: 4, // grid 3 + community 1
      mediationsFailed: 2,
      inGridShare: 60, // 3 / 5
      inCommunityShare: 80, // 4 / 5
    });
  });

  it("gives n/a, never 0 % or 100 %, for every rate of an empty month", () => {
    const ind = unitIndicators({});
    for (const [k, v] of Object.entries(ind)) {
      if (BUILTIN_BY_KEY.get(k)?.max === 100) expect([k, v]).toEqual([k, null]);
      else expect([k, v]).toEqual([k, 0]);
    }
  });

  it("caps a rate at 100 % when a month closes more cases than were due in it", () => {
    const ind = unitIndicators({ handled: 1, handledOnTime: 1, closed: 3, closedOnTime: 3 });
    expect(ind.dueToClose).toBe(1);
    expect(ind.closeRate).toBe(100);
    expect(ind.onTimeCloseRate).toBe(100);
  });

  it("does not count overdue stages twice when they were completed late in the month", () => {
    expect(overdueOpen(2, 5)).toBe(0);
    expect(overdueOpen(5, 2)).toBe(3);
    const ind = unitIndicators({ handled: 2, handledLate: 2, overdue_handle: 2 });
    expect(ind.toHandle).toBe(2);
    expect(ind.onTimeHandleRate).toBe(0);
  });

  it("counts a transfer against dispatch accuracy and never below 0 %", () => {
    expect(unitIndicators({ dispatched: 4, dispatchedOnTime: 4, transfers: 1 }).accurateDispatchRate).toBe(75);
    expect(unitIndicators({ dispatched: 1, transfers: 3 }).accurateDispatchRate).toBe(0);
  });
});

describe("department indicators", () => {
  it("computes every formula of a hand-worked month", () => {
    expect(
      departmentIndicators({
        dispatched: 8, claims: 2, claimPoints: 3, transfers: 1,
        handled: 8, handledOnTime: 6, handledLate: 2, overdue_handle: 4, overdue_verify: 1,
        closed: 7, closedOnTime: 5, closedLate: 2, rework: 1, supervised: 1,
        eval_satisfied: 3, eval_very_dissatisfied: 1,
      }),
    ).toEqual({
      assigned: 10, // 8 dispatched + 2 claims
      claims: 2,
      claimPoints: 3,
      transfers: 1,
      accurateDispatchRate: 90, // (10 − 1) / 10
      handled: 8,
      toHandle: 10, // 8 + max(0, 4 − 2)
      onTimeHandleRate: 60, // 6 / 10
      dueToClose: 10,
      closed: 7,
      closedOnTime: 5,
      closeRate: 70,
      onTimeCloseRate: 50,
      rework: 1,
      reworkRate: 10,
      supervised: 1,
      overdue: 5,
      evaluations: 4,
      satisfactionRate: 75, // 3 / 4
      satisfactionIndex: 56.25, // (3·75 + 0) / 4
    });
  });

  it("gives n/a rates for a department with nothing due", () => {
    const ind = departmentIndicators({ claims: 1, claimPoints: 1 });
    expect(ind).toMatchObject({ assigned: 1, dueToClose: 0, closeRate: null, onTimeHandleRate: null, reworkRate: null, satisfactionRate: null });
  });
});

describe("grid worker indicators", () => {
  it("computes every formula of a hand-worked month, with the grid's missed reports", () => {
    expect(
      workerIndicators(
        { reports: 5, validReports: 4, resolvedOnSpot: 1, verified: 3, verifiedOnTime: 2, verifiedLate: 1, verifyFailed: 1, verifyFailedOnTime: 1, reportChecks: 4, reportChecksOnTime: 3, eval_satisfied: 2, eval_average: 1 },
        { reports: 20, reportsPublic: 5 },
      ),
    ).toEqual({
      reports: 5,
      validReports: 4,
      validReportRate: 80,
      resolvedOnSpot: 1,
      verified: 3,
      checks: 4, // 3 passed + 1 failed
      verifiedOnTime: 3, // 2 + 1
      onTimeVerifyRate: 75, // 3 / 4
      reportChecks: 4,
      onTimeCheckRate: 75, // 3 / 4
      gridReports: 20,
      gridReportsPublic: 5,
      missedReportRate: 25, // 5 / 20
      missedReportScore: 75, // 100 − 25
      evaluations: 3,
      satisfied: 2,
      satisfactionRate: 66.67, // 2 / 3
    });
  });

  it("gives n/a for a worker with an empty month in an empty grid", () => {
    const ind = workerIndicators({}, undefined);
    expect(ind).toMatchObject({ validReportRate: null, onTimeVerifyRate: null, onTimeCheckRate: null, missedReportRate: null, missedReportScore: null, satisfactionRate: null });
  });
});

describe("rates", () => {
  it("rounds to two decimals and gives null for a zero denominator", () => {
    expect(rate(1, 3)).toBe(33.33);
    expect(rate(2, 3)).toBe(66.67);
    expect(rate(0, 0)).toBeNull();
    expect(rate(0, 5)).toBe(0);
  });

  const counterNames = Object.keys(UNIT_MONTH).concat(["claims", "claimPoints", "reportChecks", "reportChecksOnTime", "mediation_grid_failed"]);
  const anyCounters = fc.dictionary(fc.constantFrom(...counterNames), fc.nat({ max: 1000 }));

  it("keeps every rate of any counters within 0–100 or n/a (property)", () => {
    fc.assert(
      fc.property(anyCounters, anyCounters, (a, b) => {
        for (const ind of [unitIndicators(a), departmentIndicators(a), workerIndicators(a, b)]) {
          for (const [k, v] of Object.entries(ind)) {
            const def = BUILTIN_BY_KEY.get(k);
            expect(def, `${k} is a built-in indicator`).toBeDefined();
            if (def!.max === 100) expect([k, v === null || (v >= 0 && v <= 100)]).toEqual([k, true]);
            else expect(v).toBeGreaterThanOrEqual(0);
          }
        }
      }),
    );
  });

  it("defines every built-in indicator once", () => {
    expect(new Set(BUILTIN_INDICATORS.map((d) => d.key)).size).toBe(BUILTIN_INDICATORS.length);
  });
});
