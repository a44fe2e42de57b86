/**
 * The mediation ladder and the satisfaction levels as plain lists, apart from the case's zod
 * schemas (core/case/schema.ts builds its enums from them and re-exports the ladder): the indicator
 * formulas (core/indicator/compute.ts, in the appraisal run) use the lists without evaluating every
 * case schema (issue #15, docs/deploy.md "Cold path").
 */
export const MEDIATION_LADDER = ["grid", "village_group", "community", "township_center", "county_center"] as const;

/** From best to worst (the order of the evaluation action's `level`). */
export const EVALUATION_LEVELS = ["very_satisfied", "satisfied", "average", "dissatisfied", "very_dissatisfied"] as const;
