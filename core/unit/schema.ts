import * as z from "zod";
import { Cursor, IdFilter, IdRef } from "../db/ids.ts";
import { pointQueryFields } from "../geo/crs.ts";
import { Boundary } from "../geo/schema.ts";

export const UnitType = z.enum(["county", "street", "community", "residential", "village_to_residential", "park", "mixed", "venue", "rural", "other"]);
export type UnitType = z.infer<typeof UnitType>;

export const Code = z.string().max(24).regex(/^\d{6,24}$/, "digits only, 6 to 24");
const Name = z.string().trim().min(1, "required").max(64);
const Count = z.number().int().min(0).max(10_000_000);

export const BoundaryWarning = z.object({
  kind: z.enum(["outside_parent", "overlaps_sibling"]),
  areaM2: z.number(),
  share: z.number(),
  siblingId: z.string().optional(),
  siblingCode: z.string().optional(),
  siblingName: z.string().optional(),
});

export const Unit = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  depth: z.number().int(),
  level: z.string(),
  name: z.string(),
  code: z.string(),
  type: UnitType,
  /** materialized path of ids: `/root/child/…/self/` */
  path: z.string(),
  boundary: Boundary.optional(),
  centroid: z.tuple([z.number(), z.number()]).optional(),
  /** accepted boundary problems (county setting boundaryCheck = warn): outside the parent, overlapping siblings */
  boundaryWarnings: z.array(BoundaryWarning).optional(),
  households: z.number().int().optional(),
  population: z.number().int().optional(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Unit = z.infer<typeof Unit>;

export const CreateUnit = z.object({
  parentId: IdRef(40),
  name: Name,
  code: Code,
  type: UnitType.default("other"),
  boundary: Boundary.optional(),
  households: Count.optional(),
  population: Count.optional(),
});
export type CreateUnit = z.infer<typeof CreateUnit>;

export const UpdateUnit = z
  .object({
    version: z.number().int().min(1),
    name: Name.optional(),
    type: UnitType.optional(),
    boundary: Boundary.nullable().optional(),
    households: Count.optional(),
    population: Count.optional(),
  })
  .strict();
export type UpdateUnit = z.infer<typeof UpdateUnit>;

export const MoveUnit = z.object({
  version: z.number().int().min(1),
  parentId: IdRef(40),
  /** new code; default: the new parent's code + this unit's current segment */
  code: Code.optional(),
});

export const DeactivateUnit = z.object({ version: z.number().int().min(1) });

export const UnitQuery = z.object({
  parentId: IdFilter(40).optional(),
  subtreeOf: IdFilter(40).optional(),
  q: z.string().trim().min(1).max(64).optional(),
  active: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
});

/** `?lng=&lat=&crs=` (crs: core/geo/crs.ts; the point is converted to WGS84 before locating). */
export const LocateQuery = z.object(pointQueryFields);
