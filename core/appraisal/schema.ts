import * as z from "zod";
import { Cursor, IdRef } from "../db/ids.ts";
import { Direction, Period } from "../indicator/schema.ts";

export { Period };

export const Subject = z.enum(["unit", "department", "worker"]);
export type Subject = z.infer<typeof Subject>;

const Weight = z.number().min(0).max(1000);
const Percent = z.number().min(0).max(100);
const unique = (xs: string[]) => new Set(xs).size === xs.length;

/** One indicator of the five-color score: its weight, and optionally its direction and the range mapped to 0–100 (caps). */
export const RuleIndicator = z
  .object({
    key: z.string().min(1).max(40),
    weight: z.number().positive().max(1000),
    /** default: the indicator definition's */
    direction: Direction.optional(),
    /** value at or below which the sub-score is 0 (higher_better) or 100 (lower_better); default: the definition's min, else 0 */
    min: z.number().finite().optional(),
    /** value at or above which the sub-score is 100 (higher_better) or 0 (lower_better); default: the definition's max */
    max: z.number().finite().optional(),
  })
  .strict()
  .refine((r) => r.min === undefined || r.max === undefined || r.min < r.max, { message: "min must be below max", path: ["max"] });
export type RuleIndicator = z.infer<typeof RuleIndicator>;

/** A band of the five-color rating: from `min` (inclusive) up to the next band's min. */
export const Band = z
  .object({
    min: Percent,
    color: z.string().trim().min(1).max(20),
    label: z.string().trim().min(1).max(20),
    /** display name, e.g. 优 */
    name: z.string().trim().min(1).max(20).optional(),
  })
  .strict();
export type Band = z.infer<typeof Band>;

export const Bands = z
  .array(Band)
  .length(5, "exactly five bands")
  .superRefine((bands, ctx) => {
    if (bands[0]?.min !== 0) ctx.addIssue({ code: "custom", message: "the lowest band starts at 0", path: [0, "min"] });
    for (let i = 1; i < bands.length; i++) {
      if (!(bands[i].min > bands[i - 1].min)) ctx.addIssue({ code: "custom", message: "bands go up: each min above the previous one", path: [i, "min"] });
    }
    if (!unique(bands.map((b) => b.color))) ctx.addIssue({ code: "custom", message: "colors must differ", path: [] });
    if (!unique(bands.map((b) => b.label))) ctx.addIssue({ code: "custom", message: "labels must differ", path: [] });
  });

export const FiveColorRule = z
  .object({
    indicators: z
      .array(RuleIndicator)
      .min(1)
      .max(30)
      .refine((xs) => unique(xs.map((x) => x.key)), "each indicator once"),
    /** lowest band first */
    bands: Bands,
    /** unit level keys rated (e.g. grid, micro_grid); empty: every unit */
    levels: z.array(z.string().min(1).max(32)).max(6).default([]),
  })
  .strict();
export type FiveColorRule = z.infer<typeof FiveColorRule>;

export const Grade = z.object({ grade: z.string().trim().min(1).max(8), min: Percent }).strict();
/** Best grade first; each grade from `min` (inclusive) up to the better grade's min; the last starts at 0. */
export const Grades = z
  .array(Grade)
  .min(2)
  .max(10)
  .superRefine((gs, ctx) => {
    if (gs.at(-1)?.min !== 0) ctx.addIssue({ code: "custom", message: "the lowest grade starts at 0", path: [gs.length - 1, "min"] });
    for (let i = 1; i < gs.length; i++) {
      if (!(gs[i].min < gs[i - 1].min)) ctx.addIssue({ code: "custom", message: "grades go down: each min below the previous one", path: [i, "min"] });
    }
    if (!unique(gs.map((g) => g.grade))) ctx.addIssue({ code: "custom", message: "grades must differ", path: [] });
  });

const positiveSum = (w: Record<string, number>) => Object.values(w).some((v) => v > 0);

export const DepartmentRule = z
  .object({
    weights: z
      .object({ volume: Weight, closeRate: Weight, onTimeHandleRate: Weight, reworkComplement: Weight })
      .strict()
      .refine(positiveSum, "at least one weight above 0"),
    /** cases assigned (dispatched + claimed) that earn the full volume score */
    volumeFullAt: z.number().int().min(1).max(1_000_000),
    /** score points per claim point, added after the weighted sum, up to claimBonusMax */
    claimPointValue: z.number().min(0).max(100),
    claimBonusMax: Percent,
    /** score points taken per supervised case, up to supervisionPenaltyMax */
    supervisionPenalty: z.number().min(0).max(100),
    supervisionPenaltyMax: Percent,
    grades: Grades,
  })
  .strict();
export type DepartmentRule = z.infer<typeof DepartmentRule>;

export const WorkerRule = z
  .object({
    weights: z
      .object({ validReportRate: Weight, missedReportScore: Weight, onTimeVerifyRate: Weight, onTimeCheckRate: Weight })
      .strict()
      .refine(positiveSum, "at least one weight above 0"),
    grades: Grades,
  })
  .strict();
export type WorkerRule = z.infer<typeof WorkerRule>;

/** Points a grid worker earns per month ("service for points"). */
export const PointsRule = z
  .object({
    validReport: z.number().min(0).max(1000),
    resolvedOnSpot: z.number().min(0).max(1000),
    onTimeVerification: z.number().min(0).max(1000),
    satisfied: z.number().min(0).max(1000),
  })
  .strict();
export type PointsRule = z.infer<typeof PointsRule>;

export const ScoringRules = z
  .object({
    fiveColor: FiveColorRule,
    department: DepartmentRule,
    worker: WorkerRule,
    points: PointsRule,
  })
  .strict();
export type ScoringRules = z.infer<typeof ScoringRules>;

/** `PUT /v1/scoring-rules`: the whole rule set and the version read (0 when the presets were shown). */
export const PutScoringRules = ScoringRules.extend({ version: z.number().int().min(0), note: z.string().trim().max(500).optional() }).strict();

export type ScoringRulesRecord = ScoringRules & { version: number; updatedAt?: string; updatedBy?: { kind: string; id: string; name?: string } };

export const RunInput = z.object({ period: Period }).strict();

export const RedeemInput = z
  .object({
    points: z.number().int().min(1).max(1_000_000),
    /** what was given for the points, e.g. 洗衣液 2 瓶 */
    item: z.string().trim().min(1).max(200),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

export const AppraisalQuery = z.object({
  period: Period,
  subject: Subject.default("unit"),
  /** units: that unit's subtree; workers: workers of that subtree */
  unit: IdRef(40).optional(),
  /** place: by unit path (departments: by code); score: best first; -score: worst first (unrated left out) */
  sort: z.enum(["place", "score", "-score"]).default("place"),
  /** breakdown: keep each result's score breakdown (lines and adjustments) in the list, e.g. for a department ranking by part */
  detail: z.enum(["breakdown"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
});

export type AppraisalQuery = z.infer<typeof AppraisalQuery>;

/** `GET /v1/appraisals/{period}/map` */
export const MapQuery = z.object({
  /** unit level drawn (a level key of the county settings) */
  level: z.string().min(1).max(32).default("grid"),
  /** only that unit's subtree */
  unit: IdRef(40).optional(),
});

export const ExportQuery = z.object({ subject: Subject.optional() });
