import * as z from "zod/mini";

/** A unit's type. Apart from schema.ts so that the unit import's read stage (core/unit/import-parse.ts) loads none of the API's unit schemas (issue #15). */
export const UnitType = z.enum(["county", "street", "community", "residential", "village_to_residential", "park", "mixed", "venue", "rural", "other"]);
export type UnitType = z.infer<typeof UnitType>;
