import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { BUILTIN_INDICATORS } from "../indicator/builtin.ts";
import { appraise, type Member } from "./evaluate.ts";
import { PRESET_RULES } from "./presets.ts";
import { ScoringRules, type ScoringRulesRecord } from "./schema.ts";
import type { RangeDefaults } from "./score.ts";

const DEFS: Map<string, RangeDefaults> = new Map<string, RangeDefaults>(BUILTIN_INDICATORS.map((d) => [d.key, d])).set("police_incidents", { direction: "lower_better", min: 0, max: 10 });
const RULES: ScoringRulesRecord = { ...structuredClone(PRESET_RULES), version: 3 };
const GRID: Member = { subject: "unit", id: "g1", name: "第1网格", code: "350206001001001", path: "/c/s/m/g1/", level: "grid", depth: 3 };
const DEPT: Member = { subject: "department", id: "d1", name: "城市管理局", code: "CGJ" };
const WORKER: Member = { subject: "worker", id: "u1", name: "网格员", unitId: "g1", unitPath: "/c/s/m/g1/" };

describe("appraise", () => {
  it("keeps a grid's inputs, indicators, breakdown, the rules used and the change from last month", () => {
    const a = appraise("2026-03", GRID, { counters: { handled: 4, handledOnTime: 4, closed: 4, closedOnTime: 3, _et: 0, reports: 0 } as any }, RULES, DEFS, { score: 50, band: { color: "red", label: "poor", rank: 1 } });
    expect(a.inputs).toEqual({ counters: { closed: 4, closedOnTime: 3, handled: 4, handledOnTime: 4 } });
    expect(a.indicators).toMatchObject({ closeRate: 100, onTimeCloseRate: 75, reworkRate: 0, satisfactionRate: null });
    // on-time close 75 × 25 + close 100 × 20 + (100 − 0) × 10 over weights 55
    expect(a.score).toBe(88.64);
    expect(a.band).toMatchObject({ color: "blue", label: "fine" });
    expect(a.change).toEqual({ previousScore: 50, delta: 38.64, previousBand: "red" });
    expect(a.rules).toEqual({ version: 3, fiveColor: RULES.fiveColor });
    expect(a.breakdown.lines).toHaveLength(RULES.fiveColor.indicators.length);
    expect(a.breakdown.explanation).toMatch(/band blue/);
  });

  it("stores a unit's month counters as inputs, not the day attributes or the open delta riding on its month item (#16)", () => {
    const raw = { handled: 4, handledOnTime: 4, closed: 4, closedOnTime: 3, d05_reports: 2, d05_closed: 1, d31_handled: 7, openDelta: -3 };
    const a = appraise("2026-03", GRID, { counters: raw, grid: raw }, RULES, DEFS);
    expect(a.inputs.counters).toEqual({ closed: 4, closedOnTime: 3, handled: 4, handledOnTime: 4 });
    expect(a.indicators).toMatchObject({ closeRate: 100, onTimeCloseRate: 75 });
    const w = appraise("2026-03", WORKER, { counters: { reports: 1 }, grid: raw }, RULES, DEFS);
    expect(w.inputs.grid).toEqual({ closed: 4, closedOnTime: 3, handled: 4, handledOnTime: 4 });
  });

  it("adds the month's external values to a grid's indicators and score", () => {
    const rules = ScoringRules.parse({ ...PRESET_RULES, fiveColor: { ...RULES.fiveColor, indicators: [{ key: "police_incidents", weight: 1 }] } });
    const a = appraise("2026-03", GRID, { external: { police_incidents: 2 } }, { ...rules, version: 4 }, DEFS);
    expect(a.indicators.police_incidents).toBe(2);
    expect(a.inputs.external).toEqual({ police_incidents: 2 });
    expect(a.score).toBe(80);
    expect(a.change).toBeNull();
  });

  it("does not rate a unit above the levels the five-color rule covers", () => {
    const rules = { ...RULES, fiveColor: { ...RULES.fiveColor, levels: ["micro_grid"] } };
    const a = appraise("2026-03", GRID, { counters: { closed: 1, handled: 1 } }, rules, DEFS);
    expect(a.score).toBeNull();
    expect(a.band).toBeNull();
    expect(a.indicators.closeRate).toBe(100);
    expect(a.breakdown.explanation).toMatch(/not rated/);
  });

  it("rates an empty month n/a for every kind of subject", () => {
    for (const m of [GRID, DEPT, WORKER]) {
      const a = appraise("2026-03", m, {}, RULES, DEFS, { score: 80, grade: "B", band: null });
      expect(a.score).toBeNull();
      expect(a.change).toMatchObject({ previousScore: 80, delta: null });
    }
  });

  it("gives a department its grade and a worker grade and points", () => {
    const d = appraise("2026-03", DEPT, { counters: { dispatched: 50, handled: 10, handledOnTime: 10, closed: 10, closedOnTime: 10 } }, RULES, DEFS);
    expect(d).toMatchObject({ score: 100, grade: "A", code: "CGJ" });
    const w = appraise("2026-03", WORKER, { counters: { reports: 2, validReports: 2, resolvedOnSpot: 1 }, grid: { reports: 4, reportsPublic: 2 } }, RULES, DEFS);
    expect(w.indicators).toMatchObject({ validReportRate: 100, missedReportScore: 50, onTimeVerifyRate: null, onTimeCheckRate: null });
    expect(w.score).toBe(83.33); // (40·100 + 20·50) / 60
    expect(w.grade).toBe("B");
    expect(w.points?.points).toBe(4); // 2 valid × 1 + 1 on the spot × 2
    expect(w.inputs.grid).toEqual({ reports: 4, reportsPublic: 2 });
  });

  it("gives the same result for the same inputs: a re-run reproduces the month exactly (property)", () => {
    const names = ["reports", "validReports", "reportsPublic", "registered", "acceptedOnTime", "handled", "handledOnTime", "handledLate", "overdue_handle", "closed", "closedOnTime", "rework", "claims", "claimPoints", "supervised", "verified", "verifiedOnTime", "reportChecks", "reportChecksOnTime", "eval_satisfied", "eval_dissatisfied", "mediation_grid_resolved"];
    const counters = fc.dictionary(fc.constantFrom(...names), fc.nat({ max: 500 }));
    fc.assert(
      fc.property(fc.constantFrom(GRID, DEPT, WORKER), counters, counters, fc.option(fc.nat({ max: 10 }), { nil: undefined }), (m, c, g, police) => {
        const inputs = { counters: c, grid: g, ...(police === undefined ? {} : { external: { police_incidents: police } }) };
        const first = appraise("2026-03", m, inputs, RULES, DEFS);
        const again = appraise("2026-03", m, structuredClone(inputs), structuredClone(RULES), new Map(DEFS));
        expect(JSON.stringify(again)).toBe(JSON.stringify(first));
        expect(first.score === null || (first.score >= 0 && first.score <= 100)).toBe(true);
      }),
    );
  });
});
