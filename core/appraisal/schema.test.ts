import { describe, it, expect } from "vitest";
import { PRESET_RULES, DEFAULT_BANDS } from "./presets.ts";
import { Bands, Grades, PutScoringRules, ScoringRules } from "./schema.ts";
import { batchesOf, BATCH_SIZE } from "./run.ts";
import type { Member } from "./evaluate.ts";

const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);

describe("scoring rules", () => {
  it("accepts the presets", () => {
    expect(ScoringRules.parse(PRESET_RULES)).toEqual(PRESET_RULES);
    expect(PutScoringRules.safeParse({ ...PRESET_RULES, version: 0 }).success).toBe(true);
  });

  it("wants exactly five rising bands from 0 with distinct colors and labels", () => {
    expect(issues(Bands.safeParse(DEFAULT_BANDS.slice(0, 4)))).toEqual([": exactly five bands"]);
    expect(issues(Bands.safeParse([...DEFAULT_BANDS].reverse()))).toContain("0.min: the lowest band starts at 0");
    expect(issues(Bands.safeParse(DEFAULT_BANDS.map((b, i) => (i === 3 ? { ...b, min: 70 } : b))))).toEqual(["3.min: bands go up: each min above the previous one"]);
    expect(issues(Bands.safeParse(DEFAULT_BANDS.map((b) => ({ ...b, color: "red" }))))).toEqual([": colors must differ"]);
  });

  it("wants grades falling to 0", () => {
    expect(Grades.safeParse([{ grade: "A", min: 90 }, { grade: "B", min: 0 }]).success).toBe(true);
    expect(issues(Grades.safeParse([{ grade: "A", min: 90 }, { grade: "B", min: 95 }, { grade: "C", min: 0 }]))).toEqual(["1.min: grades go down: each min below the previous one"]);
    expect(issues(Grades.safeParse([{ grade: "A", min: 90 }, { grade: "B", min: 10 }]))).toEqual(["1.min: the lowest grade starts at 0"]);
  });

  it("refuses all-zero weights, unknown fields and a five-color range upside down", () => {
    const zero = { ...PRESET_RULES, worker: { ...PRESET_RULES.worker, weights: { validReportRate: 0, missedReportScore: 0, onTimeVerifyRate: 0, onTimeCheckRate: 0 } } };
    expect(issues(ScoringRules.safeParse(zero))).toEqual(["worker.weights: at least one weight above 0"]);
    expect(ScoringRules.safeParse({ ...PRESET_RULES, extra: 1 }).success).toBe(false);
    const upside = { ...PRESET_RULES, fiveColor: { ...PRESET_RULES.fiveColor, indicators: [{ key: "reports", weight: 1, min: 10, max: 5 }] } };
    expect(issues(ScoringRules.safeParse(upside))).toEqual(["fiveColor.indicators.0.max: min must be below max"]);
  });
});

describe("fan-out", () => {
  it("cuts each kind of subject into batches of its size, every subject exactly once", () => {
    const units: Member[] = Array.from({ length: 250 }, (_, i) => ({ subject: "unit", id: `u${i}`, name: "", code: "", path: `/u${i}/`, level: "grid", depth: 1 }));
    const workers: Member[] = Array.from({ length: 51 }, (_, i) => ({ subject: "worker", id: `w${i}`, name: "", unitId: "g", unitPath: "/g/" }));
    const batches = batchesOf("2026-03", "R1", { unit: units, department: [], worker: workers });
    expect(batches.map((b) => [b.batch, b.members.length])).toEqual([
      ["unit-00000", BATCH_SIZE.unit],
      ["unit-00001", BATCH_SIZE.unit],
      ["unit-00002", 50],
      ["worker-00000", 50],
      ["worker-00001", 1],
    ]);
    expect(new Set(batches.flatMap((b) => b.members.map((m) => m.id))).size).toBe(301);
    expect(batches.every((b) => b.period === "2026-03" && b.runId === "R1")).toBe(true);
  });
});
