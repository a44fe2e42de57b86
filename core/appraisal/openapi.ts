/**
 * API reference entries of the appraisal and indicator routes, in the shape of
 * core/openapi/registry.ts (`RouteDoc`), ready to be spread into its `routeDocs`.
 */
import * as z from "zod/mini";
import type { RouteDoc } from "../openapi/registry.ts";
import { CreateDefinition, DefinitionQuery, IndicatorDefinition, PostIndicators, PostValuesQuery, UpdateDefinition, ValuesQuery } from "../indicator/schema.ts";
import { AppraisalQuery, ExportQuery, MapQuery, PutScoringRules, RedeemInput, RunInput, ScoringRules } from "./schema.ts";

/**
 * `GET /v1/appraisals/runs` parses `AppraisalQuery.pick({ limit, cursor })` (core/appraisal/service.ts);
 * its `limit` is documented as the digits it arrives as (1–200 enforced there), which the console sends.
 */
const RunsQuery = z.object({ limit: z.optional(z.string().check(z.maxLength(3), z.regex(/^\d{1,3}$/))), cursor: AppraisalQuery.shape.cursor });

const page = <T extends z.ZodMiniType>(item: T) => z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });
const PAGE = "Pages: `limit` (1–200, default 50) and the `nextCursor` of the previous page as `cursor`.";
const PERIOD = { period: "county month YYYY-MM" };

const Run = z.object({
  period: z.string(),
  runId: z.string(),
  status: z.enum(["running", "done"]),
  total: z.number().check(z.meta({ description: "batches sent to the appraisal queue" })),
  done: z.number().check(z.meta({ description: "batches finished" })),
  subjects: z.object({ unit: z.number(), department: z.number(), worker: z.number() }),
  rulesVersion: z.number(),
  runs: z.number(),
  locked: z.boolean(),
  startedAt: z.iso.datetime(),
  startedBy: z.looseObject({ kind: z.string(), id: z.string(), name: z.optional(z.string()) }).check(z.meta({ description: "who started the run (a user, or the monthly schedule)" })),
  finishedAt: z.optional(z.iso.datetime()),
  removed: z.optional(z.number().check(z.int())).check(z.meta({ description: "results of an earlier run removed when this one finished (subjects gone since)" })),
  lockedAt: z.optional(z.iso.datetime()),
  lockedBy: z.optional(z.looseObject({ kind: z.string(), id: z.string(), name: z.optional(z.string()) })),
});
const Appraisal = z.looseObject({
    period: z.string(),
    subject: z.enum(["unit", "department", "worker"]),
    id: z.string(),
    name: z.string(),
    score: z.nullable(z.number()).check(z.meta({ description: "0–100, null = n/a" })),
    band: z.optional(z.nullable(z.object({ color: z.string(), label: z.string(), rank: z.number() }))),
    grade: z.optional(z.nullable(z.string())),
    rank: z.optional(z.nullable(z.number())),
    indicators: z.record(z.string(), z.nullable(z.number())),
    change: z.nullable(z.object({ previousScore: z.nullable(z.number()), delta: z.nullable(z.number()) })),
  });
const Points = z.object({
  userId: z.string(),
  balance: z.number(),
  earned: z.number(),
  redeemed: z.number(),
  quarters: z.array(z.object({ quarter: z.string(), earned: z.number(), redeemed: z.number() })),
  entries: z.array(z.looseObject({ period: z.string(), kind: z.enum(["earn", "redeem"]), points: z.number(), at: z.string() })),
});

export const appraisalRouteDocs: Record<string, RouteDoc> = {
  "GET /v1/appraisals": { summary: "A month's appraisals of units, departments or grid workers", description: `Sort by place (default), score (best first) or -score (worst first, unrated left out). ${PAGE}`, query: AppraisalQuery, response: page(Appraisal) },
  "POST /v1/appraisals/run": { summary: "Run (or re-run) a month's appraisal", description: "Replaces the month's results exactly. 409 when the month is locked or a run is in progress.", body: RunInput, status: 202, response: Run },
  "GET /v1/appraisals/runs": { summary: "Appraisal runs by month, newest first", description: PAGE, query: RunsQuery, response: page(Run) },
  "GET /v1/appraisals/{period}/run": { summary: "Progress of a month's run", params: PERIOD, response: Run },
  "POST /v1/appraisals/{period}/lock": { summary: "Lock a finished month: no more runs or external values for it", params: PERIOD, response: Run },
  "GET /v1/appraisals/{period}/export.csv": { summary: "A month's appraisals as CSV (UTF-8 with BOM)", params: PERIOD, query: ExportQuery, responseTypes: { "text/csv": "text" } },
  "GET /v1/appraisals/{subject}/{id}/{period}": { summary: "One appraisal with its inputs, indicators, score breakdown and rules", params: { subject: "unit, department or worker", id: "unit, department or user id", ...PERIOD }, response: Appraisal },
  "GET /v1/appraisals/{period}/map": {
    summary: "A month's units of one level with boundary, score and band (the five-color map)",
    description: "Units of the caller's part of the hierarchy (or of `unit`'s subtree), each with its path as names; `bands` draw the legend.",
    params: PERIOD,
    query: MapQuery,
    response: z.object({ period: z.string(), level: z.string(), truncated: z.boolean(), bands: z.array(z.looseObject({ min: z.number(), color: z.string(), label: z.string() })), items: z.array(z.looseObject({ id: z.string(), name: z.string(), pathName: z.string(), score: z.nullable(z.number()) })) }),
  },
  "GET /v1/appraisals/{subject}/{id}/{period}/explain": {
    summary: "Why a result is what it is: indicators with formula, weight, range, sub-score and points lost; bands; change against last month",
    params: { subject: "unit, department or worker", id: "unit, department or user id", ...PERIOD },
    response: z.looseObject({
        result: Appraisal,
        previous: z.nullable(z.looseObject({ period: z.string(), score: z.nullable(z.number()) })),
        lines: z.array(z.looseObject({ key: z.string(), value: z.nullable(z.number()), weight: z.number(), subScore: z.nullable(z.number()), lost: z.nullable(z.number()), previousValue: z.nullable(z.number()) })),
        indicators: z.array(z.looseObject({ key: z.string(), value: z.nullable(z.number()), previous: z.nullable(z.number()), delta: z.nullable(z.number()) })),
        rulesVersion: z.number(),
        currentRulesVersion: z.number(),
        locked: z.boolean(),
      }),
  },
  "GET /v1/scoring-rules": { summary: "The scoring rules in force and the presets", tag: "appraisals", response: z.extend(ScoringRules, { version: z.number(), presets: ScoringRules }) },
  "PUT /v1/scoring-rules": { summary: "Replace the scoring rules (versioned, audited)", tag: "appraisals", body: PutScoringRules, response: z.extend(ScoringRules, { version: z.number() }) },
  "GET /v1/scoring-rules/versions": { summary: "Saved versions of the scoring rules", tag: "appraisals", description: PAGE, response: page(z.looseObject({ version: z.number(), rules: ScoringRules, savedAt: z.string() })) },
  "GET /v1/points/{userId}": { summary: "A grid worker's points: balance, quarterly totals, ledger", tag: "appraisals", params: { userId: "the worker's user id" }, response: Points },
  "POST /v1/points/{userId}/redeem": {
    summary: "Redeem points for goods (never below a zero balance: 409)",
    tag: "appraisals",
    params: { userId: "the worker's user id" },
    headers: [{ name: "Idempotency-Key", description: "a retry returns the first redemption. Letters, digits, _ . : - (≤64).", maxLength: 64 }],
    body: RedeemInput,
    status: 201,
    response: z.object({ entry: z.looseObject({}), balance: z.number() }),
  },
  "GET /v1/indicator-definitions": { summary: "Built-in and configured indicator definitions", tag: "indicators", query: DefinitionQuery, response: page(IndicatorDefinition) },
  "POST /v1/indicator-definitions": { summary: "Define an external indicator", tag: "indicators", body: CreateDefinition, status: 201, response: IndicatorDefinition },
  "PATCH /v1/indicator-definitions/{key}": { summary: "Change an external indicator definition", tag: "indicators", params: { key: "indicator key" }, body: UpdateDefinition, response: IndicatorDefinition },
  "GET /v1/indicators": { summary: "External indicator values of a month", tag: "indicators", description: PAGE, query: ValuesQuery, response: page(z.looseObject({ unitId: z.string(), values: z.record(z.string(), z.number()) })) },
  "POST /v1/indicators": {
    summary: "Enter external indicator values (JSON or CSV)",
    tag: "indicators",
    description: "CSV header: period,unit,key,value (unit = unit code or id). Every row is validated in one pass (400 lists every bad row by line: `rows.<line>.<field>`); nothing is written when one is wrong.",
    query: PostValuesQuery,
    bodyTypes: { "application/json": PostIndicators, "text/csv": "text" },
    response: z.object({ periods: z.array(z.string()), units: z.number(), values: z.number() }),
  },
};
