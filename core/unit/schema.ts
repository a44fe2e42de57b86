import * as z from "zod/mini";
import { Cursor, IdFilter, IdRef } from "../db/ids.ts";
import { pointQueryFields } from "../geo/crs.ts";
import { Boundary } from "../geo/schema.ts";

import { UnitType } from "./type.ts";
export { UnitType };

import { Code } from "./code.ts";
export { Code };
const Name = z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(64));
const Count = z.number().check(z.int(), z.gte(0), z.lte(10_000_000));

export const BoundaryWarning = z.object({
  kind: z.enum(["outside_parent", "overlaps_sibling"]),
  areaM2: z.number(),
  share: z.number(),
  siblingId: z.optional(z.string()),
  siblingCode: z.optional(z.string()),
  siblingName: z.optional(z.string()),
});

export const Unit = z.object({
  id: z.string(),
  parentId: z.nullable(z.string()),
  depth: z.number().check(z.int()),
  level: z.string(),
  name: z.string(),
  code: z.string(),
  type: UnitType,
  /** materialized path of ids: `/root/child/…/self/` */
  path: z.string(),
  boundary: z.optional(Boundary),
  centroid: z.optional(z.tuple([z.number(), z.number()])),
  /** accepted boundary problems (county setting boundaryCheck = warn): outside the parent, overlapping siblings */
  boundaryWarnings: z.optional(z.array(BoundaryWarning)),
  households: z.optional(z.number().check(z.int())),
  population: z.optional(z.number().check(z.int())),
  active: z.boolean(),
  version: z.number().check(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Unit = z.infer<typeof Unit>;

export const CreateUnit = z.object({
  parentId: IdRef(40),
  name: Name,
  code: Code,
  type: z._default(UnitType, "other"),
  boundary: z.optional(Boundary),
  households: z.optional(Count),
  population: z.optional(Count),
});
export type CreateUnit = z.infer<typeof CreateUnit>;

export const UpdateUnit = z.strictObject({
    version: z.number().check(z.int(), z.gte(1)),
    name: z.optional(Name),
    type: z.optional(UnitType),
    boundary: z.optional(z.nullable(Boundary)),
    households: z.optional(Count),
    population: z.optional(Count),
  });
export type UpdateUnit = z.infer<typeof UpdateUnit>;

export const MoveUnit = z.object({
  version: z.number().check(z.int(), z.gte(1)),
  parentId: IdRef(40),
  /** new code; default: the new parent's code + this unit's current segment */
  code: z.optional(Code),
});

export const DeactivateUnit = z.object({ version: z.number().check(z.int(), z.gte(1)) });

export const UnitQuery = z.object({
  parentId: z.optional(IdFilter(40)),
  subtreeOf: z.optional(IdFilter(40)),
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
  active: z.optional(z.enum(["true", "false"])),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

/** `?lng=&lat=&crs=` (crs: core/geo/crs.ts; the point is converted to WGS84 before locating). */
export const LocateQuery = z.object(pointQueryFields);
