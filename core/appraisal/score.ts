/**
 * Scores from indicator values, as pure functions: weighted sub-scores, five-color bands,
 * department and grid worker presets, grades, ranks and worker points. Every score is 0–100
 * with two decimals, or null ("n/a") when nothing it is made of has a value.
 */
import { round2, type Indicators } from "../indicator/compute.ts";
import type { Direction } from "../indicator/schema.ts";
import type { Band, DepartmentRule, FiveColorRule, PointsRule, WorkerRule } from "./schema.ts";

export type Line = {
  key: string;
  value: number | null;
  weight: number;
  direction: Direction;
  /** the value range mapped to 0–100 */
  range: [number, number];
  /** 0–100, null when the value is n/a */
  subScore: number | null;
  /** points this line adds to the score (weight share × sub-score), null when left out */
  contribution: number | null;
  note?: string;
};

export type Adjustment = { key: string; value: number; points: number; note: string };

export type Scored = { score: number | null; lines: Line[]; adjustments: Adjustment[]; explanation: string };

export type RangeDefaults = { direction: Direction; min?: number; max?: number };

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** A value on [lo, hi] as 0–100; values outside are capped; lower_better reverses. */
export function subScore(value: number, direction: Direction, lo: number, hi: number): number {
  if (!(hi > lo)) return direction === "higher_better" ? (value >= hi ? 100 : 0) : value <= lo ? 100 : 0;
  const t = (clamp(value, lo, hi) - lo) / (hi - lo);
  return round2(100 * (direction === "higher_better" ? t : 1 - t));
}

type Part = { key: string; value: number | null; weight: number; direction: Direction; lo: number; hi: number; note?: string };

/**
 * Σ weight × sub-score / Σ weight over the parts that have a value (weights of n/a parts are
 * left out, so the others keep their proportions); null when no part has a value.
 */
export function weighted(parts: Part[]): { score: number | null; lines: Line[]; basis: number } {
  const scored = parts.map((p) => ({ ...p, sub: p.value === null ? null : subScore(p.value, p.direction, p.lo, p.hi) }));
  const basis = scored.reduce((s, p) => (p.sub === null ? s : s + p.weight), 0);
  const total = scored.reduce((s, p) => (p.sub === null ? s : s + p.weight * p.sub), 0);
  const score = basis > 0 ? round2(clamp(total / basis, 0, 100)) : null;
  const lines = scored.map(
    (p): Line => ({
      key: p.key,
      value: p.value,
      weight: p.weight,
      direction: p.direction,
      range: [p.lo, p.hi],
      subScore: p.sub,
      contribution: p.sub === null || basis === 0 ? null : round2((p.weight * p.sub) / basis),
      ...(p.note ? { note: p.note } : {}),
    }),
  );
  return { score, lines, basis };
}

/** The band a score falls in (bands lowest first), with its rank 1 (lowest) … 5; null for n/a. */
export function bandOf(score: number | null, bands: Band[]): (Band & { rank: number }) | null {
  if (score === null) return null;
  let i = 0;
  for (let j = 0; j < bands.length; j++) if (score >= bands[j].min) i = j;
  return { ...bands[i], rank: i + 1 };
}

/** The grade a score falls in (grades best first); null for n/a. */
export function gradeOf(score: number | null, grades: { grade: string; min: number }[]): string | null {
  if (score === null) return null;
  return (grades.find((g) => score >= g.min) ?? grades[grades.length - 1]).grade;
}

/** Five-color score of a unit from the rule's indicators (built-in and external). */
export function fiveColorScore(ind: Indicators, rule: FiveColorRule, defs: ReadonlyMap<string, RangeDefaults>): Scored & { band: (Band & { rank: number }) | null } {
  const parts: Part[] = rule.indicators.map((r) => {
    const def = defs.get(r.key);
    const direction = r.direction ?? def?.direction ?? "higher_better";
    const lo = r.min ?? def?.min ?? 0;
    const hi = r.max ?? def?.max;
    const raw = ind[r.key];
    const value = raw === undefined || raw === null || !Number.isFinite(raw) ? null : raw;
    if (!def && r.direction === undefined) return { key: r.key, value: null, weight: r.weight, direction, lo, hi: hi ?? lo, note: "unknown or inactive indicator" };
    if (hi === undefined) return { key: r.key, value: null, weight: r.weight, direction, lo, hi: lo, note: "no max: give the rule a range" };
    return { key: r.key, value, weight: r.weight, direction, lo, hi, ...(value === null ? { note: raw === undefined ? "no value this month" : "n/a" } : {}) };
  });
  const { score, lines, basis } = weighted(parts);
  const band = bandOf(score, rule.bands);
  const used = lines.filter((l) => l.subScore !== null).length;
  return {
    score,
    band,
    lines,
    adjustments: [],
    explanation:
      score === null
        ? "n/a: none of the rule's indicators has a value this month"
        : `Σ weight × sub-score / Σ weight over ${used} of ${lines.length} indicators (weights ${basis}) = ${score}; ` +
          `band ${band!.color} (${band!.label}) from ${band!.min}`,
  };
}

/**
 * Department preset: volume × w + close rate × w + on-time handling × w + (100 − rework rate) × w
 * (weights normalized), plus claim points (capped), minus supervision penalties (capped),
 * within 0–100. n/a when nothing was due to close in the month.
 */
export function departmentScore(ind: Indicators, rule: DepartmentRule): Scored & { grade: string | null } {
  const due = ind.dueToClose ?? 0;
  const rated = due > 0;
  const assigned = ind.assigned ?? 0;
  const reworkRate = ind.reworkRate ?? null;
  const w = rule.weights;
  const parts = ([
    { key: "volume", value: rated ? round2(Math.min(100, (100 * assigned) / rule.volumeFullAt)) : null, weight: w.volume, direction: "higher_better", lo: 0, hi: 100, note: `assigned ${assigned} / ${rule.volumeFullAt} for full marks` },
    { key: "closeRate", value: rated ? (ind.closeRate ?? null) : null, weight: w.closeRate, direction: "higher_better", lo: 0, hi: 100 },
    { key: "onTimeHandleRate", value: rated ? (ind.onTimeHandleRate ?? null) : null, weight: w.onTimeHandleRate, direction: "higher_better", lo: 0, hi: 100 },
    { key: "reworkComplement", value: rated && reworkRate !== null ? round2(100 - reworkRate) : null, weight: w.reworkComplement, direction: "higher_better", lo: 0, hi: 100, note: "100 − rework rate" },
  ] satisfies Part[]).filter((p) => p.weight > 0) as Part[];
  const base = weighted(parts);
  const claimPoints = ind.claimPoints ?? 0;
  const supervised = ind.supervised ?? 0;
  const bonus = round2(Math.min(rule.claimBonusMax, claimPoints * rule.claimPointValue));
  const penalty = round2(Math.min(rule.supervisionPenaltyMax, supervised * rule.supervisionPenalty));
  const adjustments: Adjustment[] = [
    { key: "claimPoints", value: claimPoints, points: bonus, note: `+${rule.claimPointValue} per claim point, at most +${rule.claimBonusMax}` },
    { key: "supervised", value: supervised, points: -penalty, note: `−${rule.supervisionPenalty} per supervised case, at most −${rule.supervisionPenaltyMax}` },
  ];
  const score = base.score === null ? null : round2(clamp(base.score + bonus - penalty, 0, 100));
  return {
    score,
    grade: gradeOf(score, rule.grades),
    lines: base.lines,
    adjustments,
    explanation:
      score === null
        ? "n/a: nothing was due to close this month"
        : `weighted ${base.score} + claim bonus ${bonus} − supervision penalty ${penalty} = ${score} (within 0–100); grade ${gradeOf(score, rule.grades)}`,
  };
}

/** Grid worker preset: weighted valid report rate, missed-report score, on-time verification and on-time check. */
export function workerScore(ind: Indicators, rule: WorkerRule): Scored & { grade: string | null } {
  const parts: Part[] = (Object.keys(rule.weights) as (keyof WorkerRule["weights"])[])
    .filter((k) => rule.weights[k] > 0)
    .map((k) => ({ key: k, value: ind[k] ?? null, weight: rule.weights[k], direction: "higher_better" as const, lo: 0, hi: 100 }));
  const { score, lines, basis } = weighted(parts);
  const grade = gradeOf(score, rule.grades);
  return {
    score,
    grade,
    lines,
    adjustments: [],
    explanation: score === null ? "n/a: no reports, checks or grid reports this month" : `Σ weight × rate / Σ weight over the rates with values (weights ${basis}) = ${score}; grade ${grade}`,
  };
}

/** Points a worker earns for the month, line by line. */
export function pointsFor(ind: Indicators, rule: PointsRule): { points: number; lines: { key: string; count: number; each: number; points: number }[] } {
  const count = (k: string) => Math.max(0, ind[k] ?? 0);
  const lines = [
    { key: "validReport", count: count("validReports"), each: rule.validReport },
    { key: "resolvedOnSpot", count: count("resolvedOnSpot"), each: rule.resolvedOnSpot },
    { key: "onTimeVerification", count: count("verifiedOnTime"), each: rule.onTimeVerification },
    { key: "satisfied", count: count("satisfied"), each: rule.satisfied },
  ].map((l) => ({ ...l, points: round2(l.count * l.each) }));
  return { points: round2(lines.reduce((s, l) => s + l.points, 0)), lines };
}

/** Competition ranking by score, best first ("1224"); subjects without a score get no rank. */
export function rankByScore(items: { id: string; score: number | null }[]): Map<string, number | null> {
  const scored = items.filter((i) => i.score !== null).sort((a, b) => b.score! - a.score! || (a.id < b.id ? -1 : 1));
  const out = new Map<string, number | null>(items.map((i) => [i.id, null]));
  scored.forEach((item, i) => {
    const prev = scored[i - 1];
    out.set(item.id, prev && prev.score === item.score ? out.get(prev.id)! : i + 1);
  });
  return out;
}

/** Sort key of a score for the best-first index: 00000 = 100.00, 10000 = 0.00, `~` = n/a (last). */
export function scoreKey(score: number | null): string {
  return score === null ? "~" : String(10000 - Math.round(clamp(score, 0, 100) * 100)).padStart(5, "0");
}
