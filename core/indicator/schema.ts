import * as z from "zod/mini";
import { Cursor, IdRef } from "../db/ids.ts";

/** A county month, "2026-03". */
export const Period = z.string().check(z.maxLength(7), z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month YYYY-MM"));
export type Period = z.infer<typeof Period>;

/** Keys of configured (external) indicators: lower case, digits and `_`, e.g. police_incidents. */
export const IndicatorKey = z.string().check(z.maxLength(40), z.regex(/^[a-z][a-z0-9_]{1,39}$/, "lower-case letters, digits and _, 2 to 40, starting with a letter"));

export const Direction = z.enum(["higher_better", "lower_better"]);
export type Direction = z.infer<typeof Direction>;

export const SubjectKind = z.enum(["unit", "department", "worker"]);

const Name = z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(64));
const UnitLabel = z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(16));
const Bound = z.number().check(z.gte(-1e12), z.lte(1e12));

/** An indicator definition: built-in (computed from the counters) or external (entered per unit and month). */
export const IndicatorDefinition = z.object({
  key: z.string(),
  name: z.string(),
  unit: z.string(),
  direction: Direction,
  /** accepted range of values (inclusive); also the default range a score maps to 0–100 */
  min: z.optional(z.number()),
  max: z.optional(z.number()),
  description: z.optional(z.string()),
  builtin: z.boolean(),
  /** subjects an external indicator is entered for: always units (grids, buildings, …) */
  subjects: z.optional(z.array(SubjectKind)),
  active: z.boolean(),
  version: z.number().check(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type IndicatorDefinition = z.infer<typeof IndicatorDefinition>;

const minBelowMax = (d: { min?: number | null; max?: number | null }) => d.min === undefined || d.min === null || d.max === undefined || d.max === null || d.min < d.max;

export const CreateDefinition = z.strictObject({
    key: IndicatorKey,
    name: Name,
    unit: UnitLabel,
    direction: Direction,
    min: z.optional(Bound),
    max: z.optional(Bound),
    description: z.optional(z.string().check(z.trim(), z.maxLength(500))),
  }).check(z.refine(minBelowMax, { message: "min must be below max", path: ["max"] }));

/** `null` clears min, max or the description. */
export const UpdateDefinition = z.strictObject({
    version: z.number().check(z.int(), z.gte(1)),
    name: z.optional(Name),
    unit: z.optional(UnitLabel),
    direction: z.optional(Direction),
    min: z.optional(z.nullable(Bound)),
    max: z.optional(z.nullable(Bound)),
    description: z.optional(z.nullable(z.string().check(z.trim(), z.maxLength(500)))),
    active: z.optional(z.boolean()),
  });

export const DefinitionQuery = z.object({
  builtin: z.optional(z.enum(["true", "false"])),
  subject: z.optional(SubjectKind),
  active: z.optional(z.enum(["true", "false"])),
});

/** One unit's values of a month: the unit by id or by code, values by indicator key. */
export const ValuesItem = z.strictObject({
    unitId: z.optional(IdRef(40)),
    unitCode: z.optional(z.string().check(z.maxLength(24), z.regex(/^\d{6,24}$/, "digits only, 6 to 24"))),
    values: z.record(z.string().check(z.minLength(1), z.maxLength(40)), z.number()).check(z.refine((v) => Object.keys(v).length > 0, "at least one value")),
  }).check(z.refine((i) => (i.unitId === undefined) !== (i.unitCode === undefined), { message: "give unitId or unitCode", path: ["unitId"] }));
export type ValuesItem = z.infer<typeof ValuesItem>;

export const MAX_VALUE_ROWS = 10_000;

/** `POST /v1/indicators` JSON: many units of one month (`{period, unitId|unitCode, values}` is one item). */
export const PostIndicators = z.strictObject({ period: Period, items: z.array(ValuesItem).check(z.minLength(1), z.maxLength(MAX_VALUE_ROWS)) });

/** `POST /v1/indicators?period=`: the month being imported (a row of another month is an error). */
export const PostValuesQuery = z.object({ period: z.optional(Period) });

/** The one-unit shorthand as the list form. */
export function asItems(body: unknown): unknown {
  if (body && typeof body === "object" && !Array.isArray(body) && !("items" in body) && "values" in body) {
    const { period, ...item } = body as Record<string, unknown>;
    return { period, items: [item] };
  }
  return body;
}

export const ValuesQuery = z.object({
  period: Period,
  /** the values of this unit's subtree */
  unitId: z.optional(IdRef(40)),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

/** Stored values of one unit and month. */
export type UnitValues = {
  period: string;
  unitId: string;
  unitCode: string;
  unitPath: string;
  values: Record<string, number>;
  updatedAt: string;
  updatedBy: { kind: string; id: string; name?: string };
};
