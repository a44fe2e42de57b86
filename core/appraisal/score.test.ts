import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { BUILTIN_INDICATORS } from "../indicator/builtin.ts";
import { departmentIndicators, unitIndicators, workerIndicators } from "../indicator/compute.ts";
import { DEFAULT_BANDS, DEFAULT_GRADES, PRESET_RULES } from "./presets.ts";
import { Bands, FiveColorRule, Grades, ScoringRules } from "./schema.ts";
import { bandOf, departmentScore, fiveColorScore, gradeOf, pointsFor, rankByScore, scoreKey, subScore, weighted, workerScore, type RangeDefaults } from "./score.ts";

const DEFS: Map<string, RangeDefaults> = new Map(BUILTIN_INDICATORS.map((d) => [d.key, d]));
const withPolice = new Map(DEFS).set("police_incidents", { direction: "lower_better", min: 0, max: 10 });

/** The unit month of core/indicator/compute.test.ts: onTimeClose 50, close 75, satisfaction 60, inGrid 60, rework 25, valid 80. */
const UNIT = unitIndicators({
  reports: 10, validReports: 8, registered: 7, acceptedOnTime: 7,
  handled: 5, handledOnTime: 3, handledLate: 2, overdue_handle: 3, resolvedOnSpot: 2,
  closed: 6, closedOnTime: 4, rework: 2,
  eval_very_satisfied: 2, eval_satisfied: 1, eval_average: 1, eval_dissatisfied: 1,
  mediation_grid_resolved: 3, mediation_community_resolved: 1, mediation_township_center_resolved: 1,
});

describe("sub-scores", () => {
  it("maps a value on its range to 0–100, caps outside values and reverses lower-is-better", () => {
    expect(subScore(75, "higher_better", 0, 100)).toBe(75);
    expect(subScore(25, "lower_better", 0, 100)).toBe(75);
    expect(subScore(4, "lower_better", 0, 10)).toBe(60);
    expect(subScore(15, "lower_better", 0, 10)).toBe(0);
    expect(subScore(-3, "higher_better", 0, 10)).toBe(0);
    expect(subScore(30, "higher_better", 10, 50)).toBe(50);
  });

  it("leaves parts without a value out and keeps the others' proportions", () => {
    const r = weighted([
      { key: "a", value: 80, weight: 30, direction: "higher_better", lo: 0, hi: 100 },
      { key: "b", value: null, weight: 50, direction: "higher_better", lo: 0, hi: 100 },
      { key: "c", value: 40, weight: 10, direction: "higher_better", lo: 0, hi: 100 },
    ]);
    expect(r.score).toBe(70); // (30·80 + 10·40) / 40
    expect(r.basis).toBe(40);
    expect(r.lines.map((l) => l.contribution)).toEqual([60, null, 10]);
  });
});

describe("five-color score", () => {
  it("scores the hand-worked grid with the preset rule: 64, yellow (fair)", () => {
    const s = fiveColorScore(UNIT, PRESET_RULES.fiveColor, DEFS);
    // 25·50 + 20·75 + 20·60 + 15·60 + 10·(100 − 25) + 10·80 = 6400, / 100
    expect(s.score).toBe(64);
    expect(s.band).toMatchObject({ color: "yellow", label: "fair", rank: 2 });
    expect(s.lines.find((l) => l.key === "reworkRate")).toMatchObject({ value: 25, direction: "lower_better", subScore: 75, contribution: 7.5 });
  });

  it("adds an external base-data indicator with its own range: police incidents 4 of 0–10, lower is better", () => {
    const rule = FiveColorRule.parse({ ...PRESET_RULES.fiveColor, indicators: [...PRESET_RULES.fiveColor.indicators, { key: "police_incidents", weight: 20 }] });
    const s = fiveColorScore({ ...UNIT, police_incidents: 4 }, rule, withPolice);
    expect(s.score).toBe(63.33); // (6400 + 20·60) / 120
  });

  it("re-weights over the indicators with values: no disputes this month", () => {
    const s = fiveColorScore({ ...UNIT, inGridShare: null }, PRESET_RULES.fiveColor, DEFS);
    expect(s.score).toBe(64.71); // (6400 − 15·60) / 85
    expect(s.lines.find((l) => l.key === "inGridShare")).toMatchObject({ subScore: null, contribution: null });
  });

  it("rates an empty month n/a with no band", () => {
    const s = fiveColorScore(unitIndicators({}), PRESET_RULES.fiveColor, DEFS);
    expect(s.score).toBeNull();
    expect(s.band).toBeNull();
    expect(s.explanation).toMatch(/^n\/a/);
  });

  it("leaves out an indicator the county no longer defines", () => {
    const rule = FiveColorRule.parse({ ...PRESET_RULES.fiveColor, indicators: [{ key: "onTimeCloseRate", weight: 1 }, { key: "gone_indicator", weight: 1 }] });
    const s = fiveColorScore({ ...UNIT, gone_indicator: 3 }, rule, DEFS);
    expect(s.score).toBe(50);
    expect(s.lines[1].note).toMatch(/unknown/);
  });

  it("puts a boundary score in the upper band and keeps the preset pairing of colors and ratings", () => {
    expect(bandOf(90, DEFAULT_BANDS)).toMatchObject({ color: "green", label: "excellent" });
    expect(bandOf(89.99, DEFAULT_BANDS)).toMatchObject({ color: "blue", label: "fine" });
    expect(bandOf(70, DEFAULT_BANDS)).toMatchObject({ color: "orange", label: "good" });
    expect(bandOf(60, DEFAULT_BANDS)).toMatchObject({ color: "yellow", label: "fair" });
    expect(bandOf(0, DEFAULT_BANDS)).toMatchObject({ color: "red", label: "poor" });
    expect(DEFAULT_BANDS.map((b) => `${b.color}:${b.label}`)).toEqual(["red:poor", "yellow:fair", "orange:good", "blue:fine", "green:excellent"]);
    expect(bandOf(null, DEFAULT_BANDS)).toBeNull();
  });
});

describe("department preset", () => {
  const IND = departmentIndicators({ dispatched: 8, claims: 2, claimPoints: 3, handled: 8, handledOnTime: 6, handledLate: 2, overdue_handle: 4, closed: 7, closedOnTime: 5, rework: 1, supervised: 1 });

  it("scores the hand-worked department: 68 weighted + 1.5 claims − 2 supervision = 67.5, grade C", () => {
    const s = departmentScore(IND, PRESET_RULES.department);
    // volume min(100, 100·10/50) = 20; close 70; on-time 60; 100 − rework 10 = 90
    // (10·20 + 30·70 + 30·60 + 30·90) / 100 = 68; + min(5, 3 × 0.5) − min(20, 1 × 2)
    expect(s.score).toBe(67.5);
    expect(s.grade).toBe("C");
    expect(s.lines.map((l) => [l.key, l.value])).toEqual([["volume", 20], ["closeRate", 70], ["onTimeHandleRate", 60], ["reworkComplement", 90]]);
    expect(s.adjustments).toEqual([
      expect.objectContaining({ key: "claimPoints", value: 3, points: 1.5 }),
      expect.objectContaining({ key: "supervised", value: 1, points: -2 }),
    ]);
  });

  it("caps the claim bonus and the supervision penalty and keeps the score within 0–100", () => {
    const good = departmentScore({ ...IND, closeRate: 100, onTimeHandleRate: 100, reworkRate: 0, assigned: 500, claimPoints: 1000, supervised: 0 }, PRESET_RULES.department);
    expect(good.score).toBe(100);
    expect(good.grade).toBe("A");
    const bad = departmentScore({ ...IND, closeRate: 0, onTimeHandleRate: 0, reworkRate: 100, assigned: 0, claimPoints: 0, supervised: 50 }, PRESET_RULES.department);
    expect(bad.adjustments[1].points).toBe(-20);
    expect(bad.score).toBe(0);
    expect(bad.grade).toBe("E");
  });

  it("rates a department with nothing due n/a, whatever it claimed", () => {
    const s = departmentScore(departmentIndicators({ claims: 3, claimPoints: 3 }), PRESET_RULES.department);
    expect(s.score).toBeNull();
    expect(s.grade).toBeNull();
  });

  it("grades A 90–100, B 75–90, C 60–75, D 40–60, E below 40", () => {
    expect([100, 90, 89.99, 75, 74.99, 60, 59.99, 40, 39.99, 0].map((x) => gradeOf(x, DEFAULT_GRADES))).toEqual(["A", "A", "B", "B", "C", "C", "D", "D", "E", "E"]);
  });
});

describe("grid worker preset and points", () => {
  const IND = workerIndicators(
    { reports: 5, validReports: 4, resolvedOnSpot: 1, verified: 3, verifiedOnTime: 2, verifyFailed: 1, verifyFailedOnTime: 1, reportChecks: 4, reportChecksOnTime: 3, eval_satisfied: 2, eval_average: 1 },
    { reports: 20, reportsPublic: 5 },
  );

  it("scores the hand-worked worker: (40·80 + 20·75 + 20·75 + 20·75) / 100 = 77, grade B", () => {
    const s = workerScore(IND, PRESET_RULES.worker);
    expect(s.score).toBe(77);
    expect(s.grade).toBe("B");
  });

  it("earns 4 valid × 1 + 1 on the spot × 2 + 3 on-time checks × 1 + 2 satisfied × 1 = 11 points", () => {
    expect(pointsFor(IND, PRESET_RULES.points).points).toBe(11);
  });

  it("scores a worker who reported nothing in a grid where residents reported on the missed-report score alone", () => {
    const s = workerScore(workerIndicators({}, { reports: 4, reportsPublic: 4 }), PRESET_RULES.worker);
    expect(s.score).toBe(0);
    expect(workerScore(workerIndicators({}, {}), PRESET_RULES.worker).score).toBeNull();
  });
});

describe("ranks and sort keys", () => {
  it("ranks best first with ties sharing a rank and n/a unranked", () => {
    const r = rankByScore([
      { id: "a", score: 70 },
      { id: "b", score: 90 },
      { id: "c", score: 70 },
      { id: "d", score: null },
      { id: "e", score: 50 },
    ]);
    expect(Object.fromEntries(r)).toEqual({ a: 2, b: 1, c: 2, d: null, e: 4 });
  });

  it("orders sort keys best first with n/a last (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (a, b) => {
        const [ka, kb] = [scoreKey(Math.round(a * 100) / 100), scoreKey(Math.round(b * 100) / 100)];
        // the higher score sorts first, equal scores have equal keys
        expect(ka < kb ? -1 : ka > kb ? 1 : 0).toBe(Math.sign(Math.round(b * 100) - Math.round(a * 100)));
        expect(ka < scoreKey(null)).toBe(true);
      }),
    );
  });
});

// ------------------------------------------------------------------ properties

const bandsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 4, maxLength: 4 })
  .map((mins) => Bands.parse([0, ...mins.sort((a, b) => a - b)].map((min, i) => ({ ...DEFAULT_BANDS[i], min }))));
const gradesArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 4, maxLength: 4 })
  .map((mins) => Grades.parse([...mins.sort((a, b) => b - a), 0].map((min, i) => ({ grade: "ABCDE"[i], min }))));
const score = fc.double({ min: 0, max: 100, noNaN: true });
const value = fc.oneof(fc.constant(null), fc.double({ min: -1e6, max: 1e6, noNaN: true }));

describe("score properties", () => {
  it("keeps bands monotonic in the score for any thresholds", () => {
    fc.assert(
      fc.property(bandsArb, score, score, (bands, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(bandOf(lo, bands)!.rank).toBeLessThanOrEqual(bandOf(hi, bands)!.rank);
      }),
    );
  });

  it("keeps grades monotonic in the score for any thresholds", () => {
    fc.assert(
      fc.property(gradesArb, score, score, (grades, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const idx = (s: number) => grades.findIndex((g) => g.grade === gradeOf(s, grades));
        expect(idx(hi)).toBeLessThanOrEqual(idx(lo));
      }),
    );
  });

  it("keeps the five-color score within 0–100 (or n/a) for any values, weights and ranges", () => {
    const keys = ["onTimeCloseRate", "closeRate", "reworkRate", "reports", "police_incidents"];
    const rule = fc.record({
      indicators: fc.uniqueArray(
        fc.record({ key: fc.constantFrom(...keys), weight: fc.double({ min: 0.01, max: 1000, noNaN: true }), max: fc.double({ min: 1, max: 1e4, noNaN: true }) }),
        { minLength: 1, maxLength: 5, selector: (r) => r.key },
      ),
      bands: bandsArb,
      levels: fc.constant([] as string[]),
    });
    fc.assert(
      fc.property(rule, fc.dictionary(fc.constantFrom(...keys), value), (r, ind) => {
        const s = fiveColorScore(ind, FiveColorRule.parse(r), withPolice);
        expect(s.score === null || (s.score >= 0 && s.score <= 100)).toBe(true);
        expect(s.band === null).toBe(s.score === null);
      }),
    );
  });

  it("keeps department and worker scores within 0–100 (or n/a) for any indicators and rules", () => {
    const weights = fc.double({ min: 0, max: 1000, noNaN: true });
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom("dueToClose", "assigned", "closeRate", "onTimeHandleRate", "reworkRate", "claimPoints", "supervised", "validReportRate", "missedReportScore", "onTimeVerifyRate", "onTimeCheckRate"), value),
        fc.tuple(weights, weights, weights, fc.double({ min: 0.01, max: 1000, noNaN: true })),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (ind, [a, b, c, d], claimValue) => {
          const rules = ScoringRules.parse({
            ...PRESET_RULES,
            department: { ...PRESET_RULES.department, weights: { volume: a, closeRate: b, onTimeHandleRate: c, reworkComplement: d }, claimPointValue: claimValue },
            worker: { ...PRESET_RULES.worker, weights: { validReportRate: a, missedReportScore: b, onTimeVerifyRate: c, onTimeCheckRate: d } },
          });
          const fix = Object.fromEntries(Object.entries(ind).map(([k, v]) => [k, v === null || k === "dueToClose" || k === "assigned" || k === "claimPoints" || k === "supervised" ? (v === null ? null : Math.abs(v)) : Math.min(100, Math.abs(v))]));
          for (const s of [departmentScore(fix, rules.department), workerScore(fix, rules.worker)]) {
            expect(s.score === null || (s.score >= 0 && s.score <= 100)).toBe(true);
          }
        },
      ),
    );
  });
});
