/**
 * One subject's appraisal for one month, from its inputs only (pure and deterministic: the same
 * inputs and rules always give the same result, so re-running a month reproduces it exactly).
 * The result carries its inputs, the indicator values, the score breakdown and the rules used.
 */
import { indicatorsFor, round2, type Counters, type Indicators } from "../indicator/compute.ts";
import { departmentScore, fiveColorScore, pointsFor, workerScore, type Adjustment, type Line, type RangeDefaults } from "./score.ts";
import { isMonthCounter } from "../aggregate/month-item.ts";
import type { Band, DepartmentRule, FiveColorRule, ScoringRulesRecord, Subject, WorkerRule, PointsRule } from "./schema.ts";

export type Member =
  | { subject: "unit"; id: string; name: string; code: string; path: string; level: string; depth: number }
  | { subject: "department"; id: string; name: string; code: string }
  | { subject: "worker"; id: string; name: string; username?: string; unitId: string; unitPath: string };

export type Inputs = {
  /** the subject's counters of the month (absent: nothing happened) */
  counters?: Counters;
  /** workers: their grid's counters */
  grid?: Counters;
  /** units: external indicator values entered for the month */
  external?: Record<string, number>;
};

export type Previous = { score: number | null; band?: { color: string; label: string; rank: number } | null; grade?: string | null };

export type AppraisalBody = {
  period: string;
  subject: Subject;
  id: string;
  name: string;
  code?: string;
  unitId?: string;
  unitPath?: string;
  level?: string;
  /** indicator values (built-in, and external ones for units) */
  indicators: Indicators;
  /** what the indicators were computed from */
  inputs: { counters: Record<string, number>; grid?: Record<string, number>; external?: Record<string, number> };
  score: number | null;
  band?: (Band & { rank: number }) | null;
  grade?: string | null;
  points?: { points: number; lines: { key: string; count: number; each: number; points: number }[] };
  breakdown: { lines: Line[]; adjustments: Adjustment[]; explanation: string };
  /** month-over-month: null when there is no previous result */
  change: { previousScore: number | null; delta: number | null; previousBand?: string | null; previousGrade?: string | null } | null;
  rules: { version: number; fiveColor?: FiveColorRule; department?: DepartmentRule; worker?: WorkerRule; points?: PointsRule };
};

/** Non-zero numeric counters, sorted by name (stable stored inputs); not a unit's day attributes or openDelta (core/aggregate/month-item.ts). */
function clean(c: Counters | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(c ?? {}).sort()) {
    if (!isMonthCounter(k)) continue;
    const v = Number(c![k]);
    if (Number.isFinite(v) && v !== 0) out[k] = v;
  }
  return out;
}

function change(score: number | null, prev: Previous | undefined, kind: "band" | "grade"): AppraisalBody["change"] {
  if (!prev) return null;
  return {
    previousScore: prev.score,
    delta: score === null || prev.score === null ? null : round2(score - prev.score),
    ...(kind === "band" ? { previousBand: prev.band?.color ?? null } : { previousGrade: prev.grade ?? null }),
  };
}

export function appraise(period: string, m: Member, inputs: Inputs, rules: ScoringRulesRecord, defs: ReadonlyMap<string, RangeDefaults>, prev?: Previous): AppraisalBody {
  const counters = clean(inputs.counters);
  const base = { period, subject: m.subject, id: m.id, name: m.name };
  switch (m.subject) {
    case "unit": {
      const external = Object.fromEntries(Object.entries(inputs.external ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
      const indicators = { ...indicatorsFor("unit", counters), ...external };
      const rule = rules.fiveColor;
      const rated = rule.levels.length === 0 || rule.levels.includes(m.level);
      const s = rated
        ? fiveColorScore(indicators, rule, defs)
        : { score: null, band: null, lines: [], adjustments: [], explanation: `not rated: the five-color rule covers levels ${rule.levels.join(", ")}` };
      return {
        ...base,
        code: m.code,
        unitId: m.id,
        unitPath: m.path,
        level: m.level,
        indicators,
        inputs: { counters, ...(Object.keys(external).length ? { external } : {}) },
        score: s.score,
        band: s.band,
        breakdown: { lines: s.lines, adjustments: s.adjustments, explanation: s.explanation },
        change: change(s.score, prev, "band"),
        rules: { version: rules.version, fiveColor: rule },
      };
    }
    case "department": {
      const indicators = indicatorsFor("department", counters);
      const s = departmentScore(indicators, rules.department);
      return {
        ...base,
        code: m.code,
        indicators,
        inputs: { counters },
        score: s.score,
        grade: s.grade,
        breakdown: { lines: s.lines, adjustments: s.adjustments, explanation: s.explanation },
        change: change(s.score, prev, "grade"),
        rules: { version: rules.version, department: rules.department },
      };
    }
    case "worker": {
      const grid = clean(inputs.grid);
      const indicators = indicatorsFor("worker", counters, grid);
      const s = workerScore(indicators, rules.worker);
      return {
        ...base,
        unitId: m.unitId,
        unitPath: m.unitPath,
        indicators,
        inputs: { counters, grid },
        score: s.score,
        grade: s.grade,
        points: pointsFor(indicators, rules.points),
        breakdown: { lines: s.lines, adjustments: s.adjustments, explanation: s.explanation },
        change: change(s.score, prev, "grade"),
        rules: { version: rules.version, worker: rules.worker, points: rules.points },
      };
    }
  }
}
