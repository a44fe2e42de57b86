import * as z from "zod/mini";
import { Cursor, IdRef } from "../db/ids.ts";
import { Direction, Period } from "../indicator/schema.ts";

export { Period };

export const Subject = z.enum(["unit", "department", "worker"]);
export type Subject = z.infer<typeof Subject>;

const Weight = z.number().check(z.gte(0), z.lte(1000));
const Percent = z.number().check(z.gte(0), z.lte(100));
const unique = (xs: string[]) => new Set(xs).size === xs.length;

/** One indicator of the five-color score: its weight, and optionally its direction and the range mapped to 0–100 (caps). */
export const RuleIndicator = z.strictObject({
    key: z.string().check(z.minLength(1), z.maxLength(40)),
    weight: z.number().check(z.positive(), z.lte(1000)),
    /** default: the indicator definition's */
    direction: z.optional(Direction),
    /** value at or below which the sub-score is 0 (higher_better) or 100 (lower_better); default: the definition's min, else 0 */
    min: z.optional(z.number()),
    /** value at or above which the sub-score is 100 (higher_better) or 0 (lower_better); default: the definition's max */
    max: z.optional(z.number()),
  }).check(z.refine((r) => r.min === undefined || r.max === undefined || r.min < r.max, { message: "min must be below max", path: ["max"] }));
export type RuleIndicator = z.infer<typeof RuleIndicator>;

/** A band of the five-color rating: from `min` (inclusive) up to the next band's min. */
export const Band = z.strictObject({
    min: Percent,
    color: z.string().check(z.trim(), z.minLength(1), z.maxLength(20)),
    label: z.string().check(z.trim(), z.minLength(1), z.maxLength(20)),
    /** display name, e.g. 优 */
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(20))),
  });
export type Band = z.infer<typeof Band>;

export const Bands = z.array(Band).check(z.length(5, "exactly five bands"), z.superRefine((bands, ctx) => {
    if (bands[0]?.min !== 0) ctx.addIssue({ code: "custom", message: "the lowest band starts at 0", path: [0, "min"] });
    for (let i = 1; i < bands.length; i++) {
      if (!(bands[i].min > bands[i - 1].min)) ctx.addIssue({ code: "custom", message: "bands go up: each min above the previous one", path: [i, "min"] });
    }
    if (!unique(bands.map((b) => b.color))) ctx.addIssue({ code: "custom", message: "colors must differ", path: [] });
    if (!unique(bands.map((b) => b.label))) ctx.addIssue({ code: "custom", message: "labels must differ", path: [] });
  }));

export const FiveColorRule = z.strictObject({
    indicators: z.array(RuleIndicator).check(z.minLength(1), z.maxLength(30), z.refine((xs) => unique(xs.map((x) => x.key)), "each indicator once")),
    /** lowest band first */
    bands: Bands,
    /** unit level keys rated (e.g. grid, micro_grid); empty: every unit */
    levels: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(32))).check(z.maxLength(6)), []),
  });
export type FiveColorRule = z.infer<typeof FiveColorRule>;

export const Grade = z.strictObject({ grade: z.string().check(z.trim(), z.minLength(1), z.maxLength(8)), min: Percent });
/** Best grade first; each grade from `min` (inclusive) up to the better grade's min; the last starts at 0. */
export const Grades = z.array(Grade).check(z.minLength(2), z.maxLength(10), z.superRefine((gs, ctx) => {
    if (gs.at(-1)?.min !== 0) ctx.addIssue({ code: "custom", message: "the lowest grade starts at 0", path: [gs.length - 1, "min"] });
    for (let i = 1; i < gs.length; i++) {
      if (!(gs[i].min < gs[i - 1].min)) ctx.addIssue({ code: "custom", message: "grades go down: each min below the previous one", path: [i, "min"] });
    }
    if (!unique(gs.map((g) => g.grade))) ctx.addIssue({ code: "custom", message: "grades must differ", path: [] });
  }));

const positiveSum = (w: Record<string, number>) => Object.values(w).some((v) => v > 0);

export const DepartmentRule = z.strictObject({
    weights: z.strictObject({ volume: Weight, closeRate: Weight, onTimeHandleRate: Weight, reworkComplement: Weight }).check(z.refine(positiveSum, "at least one weight above 0")),
    /** cases assigned (dispatched + claimed) that earn the full volume score */
    volumeFullAt: z.number().check(z.int(), z.gte(1), z.lte(1_000_000)),
    /** score points per claim point, added after the weighted sum, up to claimBonusMax */
    claimPointValue: z.number().check(z.gte(0), z.lte(100)),
    claimBonusMax: Percent,
    /** score points taken per supervised case, up to supervisionPenaltyMax */
    supervisionPenalty: z.number().check(z.gte(0), z.lte(100)),
    supervisionPenaltyMax: Percent,
    grades: Grades,
  });
export type DepartmentRule = z.infer<typeof DepartmentRule>;

export const WorkerRule = z.strictObject({
    weights: z.strictObject({ validReportRate: Weight, missedReportScore: Weight, onTimeVerifyRate: Weight, onTimeCheckRate: Weight }).check(z.refine(positiveSum, "at least one weight above 0")),
    grades: Grades,
  });
export type WorkerRule = z.infer<typeof WorkerRule>;

/** Points a grid worker earns per month ("service for points"). */
export const PointsRule = z.strictObject({
    validReport: z.number().check(z.gte(0), z.lte(1000)),
    resolvedOnSpot: z.number().check(z.gte(0), z.lte(1000)),
    onTimeVerification: z.number().check(z.gte(0), z.lte(1000)),
    satisfied: z.number().check(z.gte(0), z.lte(1000)),
  });
export type PointsRule = z.infer<typeof PointsRule>;

export const ScoringRules = z.strictObject({
    fiveColor: FiveColorRule,
    department: DepartmentRule,
    worker: WorkerRule,
    points: PointsRule,
  });
export type ScoringRules = z.infer<typeof ScoringRules>;

/** `PUT /v1/scoring-rules`: the whole rule set and the version read (0 when the presets were shown). */
export const PutScoringRules = z.catchall(z.extend(ScoringRules, { version: z.number().check(z.int(), z.gte(0)), note: z.optional(z.string().check(z.trim(), z.maxLength(500))) }), z.never());

export type ScoringRulesRecord = ScoringRules & { version: number; updatedAt?: string; updatedBy?: { kind: string; id: string; name?: string } };

export const RunInput = z.strictObject({ period: Period });

export const RedeemInput = z.strictObject({
    points: z.number().check(z.int(), z.gte(1), z.lte(1_000_000)),
    /** what was given for the points, e.g. 洗衣液 2 瓶 */
    item: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    note: z.optional(z.string().check(z.trim(), z.maxLength(500))),
  });

export const AppraisalQuery = z.object({
  period: Period,
  subject: z._default(Subject, "unit"),
  /** units: that unit's subtree; workers: workers of that subtree */
  unit: z.optional(IdRef(40)),
  /** place: by unit path (departments: by code); score: best first; -score: worst first (unrated left out) */
  sort: z._default(z.enum(["place", "score", "-score"]), "place"),
  /** breakdown: keep each result's score breakdown (lines and adjustments) in the list, e.g. for a department ranking by part */
  detail: z.optional(z.enum(["breakdown"])),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

export type AppraisalQuery = z.infer<typeof AppraisalQuery>;

/** `GET /v1/appraisals/{period}/map` */
export const MapQuery = z.object({
  /** unit level drawn (a level key of the county settings) */
  level: z._default(z.string().check(z.minLength(1), z.maxLength(32)), "grid"),
  /** only that unit's subtree */
  unit: z.optional(IdRef(40)),
});

export const ExportQuery = z.object({ subject: z.optional(Subject) });
