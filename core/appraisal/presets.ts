import type { Band, ScoringRules, ScoringRulesRecord } from "./schema.ts";

/**
 * 五色五评: the five bands, lowest first, with the pairing of colors and ratings from the county
 * reports: red ↔ poor (差), yellow ↔ fair (中), orange ↔ good (好), blue ↔ fine (良), green ↔ excellent (优).
 */
export const DEFAULT_BANDS: Band[] = [
  { min: 0, color: "red", label: "poor", name: "差" },
  { min: 60, color: "yellow", label: "fair", name: "中" },
  { min: 70, color: "orange", label: "good", name: "好" },
  { min: 80, color: "blue", label: "fine", name: "良" },
  { min: 90, color: "green", label: "excellent", name: "优" },
];

/** A 90–100, B 75–90, C 60–75, D 40–60, E below 40 (a boundary belongs to the better grade). */
export const DEFAULT_GRADES = [
  { grade: "A", min: 90 },
  { grade: "B", min: 75 },
  { grade: "C", min: 60 },
  { grade: "D", min: 40 },
  { grade: "E", min: 0 },
];

/**
 * The presets: what `GET /v1/scoring-rules` shows (version 0) until the county saves its own.
 * Department: volume 10 % + close rate 30 % + on-time handling 30 % + (100 − rework rate) 30 %,
 * plus claim points, minus supervision penalties. Grid worker: valid report rate 40 % +
 * missed-report score 20 % + on-time verification 20 % + on-time check 20 %.
 */
export const PRESET_RULES: ScoringRules = {
  fiveColor: {
    indicators: [
      { key: "onTimeCloseRate", weight: 25 },
      { key: "closeRate", weight: 20 },
      { key: "satisfactionRate", weight: 20 },
      { key: "inGridShare", weight: 15 },
      { key: "reworkRate", weight: 10 },
      { key: "validReportRate", weight: 10 },
    ],
    bands: DEFAULT_BANDS,
    levels: [],
  },
  department: {
    weights: { volume: 10, closeRate: 30, onTimeHandleRate: 30, reworkComplement: 30 },
    volumeFullAt: 50,
    claimPointValue: 0.5,
    claimBonusMax: 5,
    supervisionPenalty: 2,
    supervisionPenaltyMax: 20,
    grades: DEFAULT_GRADES,
  },
  worker: {
    weights: { validReportRate: 40, missedReportScore: 20, onTimeVerifyRate: 20, onTimeCheckRate: 20 },
    grades: DEFAULT_GRADES,
  },
  points: { validReport: 1, resolvedOnSpot: 2, onTimeVerification: 1, satisfied: 1 },
};

/** The presets as version 0: what a county scores with until it saves its own rules. */
export const presetRecord = (): ScoringRulesRecord => ({ ...structuredClone(PRESET_RULES), version: 0 });
