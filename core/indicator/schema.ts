import * as z from "zod";
import { Cursor, IdRef } from "../db/ids.ts";

/** A county month, "2026-03". */
export const Period = z.string().max(7).regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month YYYY-MM");
export type Period = z.infer<typeof Period>;

/** Keys of configured (external) indicators: lower case, digits and `_`, e.g. police_incidents. */
export const IndicatorKey = z.string().max(40).regex(/^[a-z][a-z0-9_]{1,39}$/, "lower-case letters, digits and _, 2 to 40, starting with a letter");

export const Direction = z.enum(["higher_better", "lower_better"]);
export type Direction = z.infer<typeof Direction>;

export const SubjectKind = z.enum(["unit", "department", "worker"]);

const Name = z.string().trim().min(1, "required").max(64);
const UnitLabel = z.string().trim().min(1, "required").max(16);
const Bound = z.number().finite().min(-1e12).max(1e12);

/** An indicator definition: built-in (computed from the counters) or external (entered per unit and month). */
export const IndicatorDefinition = z.object({
  key: z.string(),
  name: z.string(),
  unit: z.string(),
  direction: Direction,
  /** accepted range of values (inclusive); also the default range a score maps to 0–100 */
  min: z.number().optional(),
  max: z.number().optional(),
  description: z.string().optional(),
  builtin: z.boolean(),
  /** subjects an external indicator is entered for: always units (grids, buildings, …) */
  subjects: z.array(SubjectKind).optional(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type IndicatorDefinition = z.infer<typeof IndicatorDefinition>;

const minBelowMax = (d: { min?: number | null; max?: number | null }) => d.min === undefined || d.min === null || d.max === undefined || d.max === null || d.min < d.max;

export const CreateDefinition = z
  .object({
    key: IndicatorKey,
    name: Name,
    unit: UnitLabel,
    direction: Direction,
    min: Bound.optional(),
    max: Bound.optional(),
    description: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine(minBelowMax, { message: "min must be below max", path: ["max"] });

/** `null` clears min, max or the description. */
export const UpdateDefinition = z
  .object({
    version: z.number().int().min(1),
    name: Name.optional(),
    unit: UnitLabel.optional(),
    direction: Direction.optional(),
    min: Bound.nullable().optional(),
    max: Bound.nullable().optional(),
    description: z.string().trim().max(500).nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict();

export const DefinitionQuery = z.object({
  builtin: z.enum(["true", "false"]).optional(),
  subject: SubjectKind.optional(),
  active: z.enum(["true", "false"]).optional(),
});

/** One unit's values of a month: the unit by id or by code, values by indicator key. */
export const ValuesItem = z
  .object({
    unitId: IdRef(40).optional(),
    unitCode: z.string().max(24).regex(/^\d{6,24}$/, "digits only, 6 to 24").optional(),
    values: z.record(z.string().min(1).max(40), z.number().finite()).refine((v) => Object.keys(v).length > 0, "at least one value"),
  })
  .strict()
  .refine((i) => (i.unitId === undefined) !== (i.unitCode === undefined), { message: "give unitId or unitCode", path: ["unitId"] });
export type ValuesItem = z.infer<typeof ValuesItem>;

export const MAX_VALUE_ROWS = 10_000;

/** `POST /v1/indicators` JSON: many units of one month (`{period, unitId|unitCode, values}` is one item). */
export const PostIndicators = z.object({ period: Period, items: z.array(ValuesItem).min(1).max(MAX_VALUE_ROWS) }).strict();

/** `POST /v1/indicators?period=`: the month being imported (a row of another month is an error). */
export const PostValuesQuery = z.object({ period: Period.optional() });

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
  unitId: IdRef(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
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
