/** Category rules for the case loop (pure): inheritance, the responsibility matrix, stage deadlines. */
import { addDuration } from "../calendar/deadline.ts";
import type { Calendar, Duration } from "../calendar/schema.ts";
import type { DeadlineStage } from "../case/schema.ts";
import { INHERITED, type Category, type ResolvedCategory, type UpdateCategory } from "./schema.ts";

/** What a top-level category has when it does not say. */
export const CATEGORY_DEFAULTS = {
  isDispute: false,
  police: false,
  urgent: false,
  departmentIds: [] as string[],
  byStreet: {} as Record<string, string[]>,
  claimWindow: true,
};

/** Built-in stage limits: the county's defaults until the county settings say otherwise (settings.caseDefaults). */
export const DEFAULT_DEADLINES: Readonly<Record<DeadlineStage, Duration>> = {
  accept: { amount: 2, unit: "working_hours" },
  claim: { amount: 1, unit: "working_hours" },
  dispatch: { amount: 4, unit: "working_hours" },
  handle: { amount: 5, unit: "working_days" },
  verify: { amount: 1, unit: "working_days" },
  evaluate: { amount: 3, unit: "calendar_days" },
};

const STAGES = Object.keys(DEFAULT_DEADLINES) as DeadlineStage[];

/** The county's defaults for what a category leaves unset (settings.caseDefaults). */
export type CountyDefaults = { deadlines: Readonly<Record<DeadlineStage, Duration>> };
export const BUILT_IN_DEFAULTS: CountyDefaults = { deadlines: DEFAULT_DEADLINES };

/** Where an effective rule comes from: the category itself, its parent, or the county default. */
export type RuleSource = "category" | "parent" | "county";

/**
 * The effective rules of a category: each rule from the category, else its parent, else the
 * county default; `sources` says which, per stage deadline and for the claim window.
 */
export function resolve(category: Category, parent?: Category, county: CountyDefaults = BUILT_IN_DEFAULTS): ResolvedCategory {
  const pick = <K extends keyof typeof CATEGORY_DEFAULTS>(k: K): (typeof CATEGORY_DEFAULTS)[K] =>
    (category[k] ?? parent?.[k] ?? CATEGORY_DEFAULTS[k]) as (typeof CATEGORY_DEFAULTS)[K];
  const source = (own: unknown, inherited: unknown): RuleSource => (own !== undefined ? "category" : inherited !== undefined ? "parent" : "county");
  const deadlines = Object.fromEntries(
    STAGES.map((s) => [s, category.deadlines?.[s] ?? parent?.deadlines?.[s] ?? county.deadlines[s]]),
  ) as Record<DeadlineStage, Duration>;
  const sources = {
    deadlines: Object.fromEntries(STAGES.map((s) => [s, source(category.deadlines?.[s], parent?.deadlines?.[s])])) as Record<DeadlineStage, RuleSource>,
    claimWindow: source(category.claimWindow, parent?.claimWindow),
  };
  return {
    id: category.id,
    code: category.code,
    name: category.name,
    parentId: category.parentId,
    active: category.active && (parent?.active ?? true),
    isDispute: pick("isDispute"),
    police: pick("police"),
    urgent: pick("urgent"),
    departmentIds: [...pick("departmentIds")],
    byStreet: { ...pick("byStreet") },
    claimWindow: pick("claimWindow"),
    deadlines,
    sources,
  };
}

/** The street (first level below the county) of a unit path `/county/street/…/`, if any. */
export function streetOf(unitPath: string): string | undefined {
  return unitPath.split("/").filter(Boolean)[1];
}

/**
 * The departments responsible for a case of this category in this unit: the street's override
 * when there is one, else the category's list. The first is the responsible department.
 */
export function responsibleDepartments(category: Pick<ResolvedCategory, "departmentIds" | "byStreet">, unitPath: string): string[] {
  const street = streetOf(unitPath);
  const override = street !== undefined ? category.byStreet[street] : undefined;
  return [...(override ?? category.departmentIds)];
}

/** The deadline of a stage entered at `from`, on the county's working calendar. */
export function deadlineFor(category: Pick<ResolvedCategory, "deadlines">, calendar: Calendar, stage: DeadlineStage, from: Date): Date {
  return addDuration(calendar, from, category.deadlines[stage]);
}

/** The category's part of the case rules (`CaseRules` in core/case/schema.ts) for a case in this unit. */
export function caseRulesFor(category: ResolvedCategory, unitPath: string) {
  const departments = responsibleDepartments(category, unitPath);
  return {
    ...(departments[0] ? { responsibleDepartmentId: departments[0] } : {}),
    candidateDepartments: departments,
    claimWindow: category.claimWindow,
    policeCategory: category.police,
  };
}

/** Apply a PATCH: `null` clears an override (child) or restores the default (top level). */
export function applyUpdate(current: Category, changes: Omit<UpdateCategory, "version">): Category {
  const next: Record<string, unknown> = { ...current, deadlines: { ...current.deadlines } };
  if (changes.code !== undefined) next.code = changes.code;
  if (changes.name !== undefined) next.name = changes.name;
  if (changes.active !== undefined) next.active = changes.active;
  for (const k of INHERITED) {
    const v = changes[k];
    if (v === undefined) continue;
    if (v !== null) next[k] = v;
    else if (current.parentId) delete next[k];
    else next[k] = structuredClone(CATEGORY_DEFAULTS[k]);
  }
  const deadlines = next.deadlines as Record<string, unknown>;
  for (const [stage, d] of Object.entries(changes.deadlines ?? {})) {
    if (d === undefined) continue;
    if (d === null) delete deadlines[stage];
    else deadlines[stage] = d;
  }
  return next as unknown as Category;
}
