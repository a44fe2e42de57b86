import * as z from "zod";
import { Cursor, IdRef } from "../db/ids.ts";
import { Duration } from "../calendar/schema.ts";
import type { DeadlineStage } from "../case/schema.ts";

/** Category codes: letters (upper-cased), digits, `.`, `_` or `-`; unique in the county (e.g. 01, 0102, CG-01). */
export const CategoryCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9._-]{0,31}$/, "letters, digits, . _ or -, at most 32")
  .max(32);
const Name = z.string().trim().min(1, "required").max(64);
const Id = IdRef(40);
const DepartmentIds = z.array(Id).max(50).transform((ids) => [...new Set(ids)]);
/** Per-street override of the responsible departments: street unit id → department ids. */
const ByStreet = z.record(Id, DepartmentIds).refine((r) => Object.keys(r).length <= 300, "at most 300 streets");

/** Stage time limits; each one unset is inherited (from the parent, then the county defaults). */
export const Deadlines = z
  .object({
    accept: Duration.optional(),
    claim: Duration.optional(),
    dispatch: Duration.optional(),
    handle: Duration.optional(),
    verify: Duration.optional(),
    evaluate: Duration.optional(),
  })
  .strict();
export type Deadlines = Partial<Record<DeadlineStage, Duration>>;

/** The rules a child inherits when it leaves them unset. */
export const INHERITED = ["isDispute", "police", "urgent", "departmentIds", "byStreet", "claimWindow"] as const;

/**
 * A stored category. Top-level categories always carry every rule; a child carries only the
 * rules it overrides (`resolveCategory` merges).
 */
export type Category = {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  /** a dispute (矛盾纠纷): goes up the mediation ladder */
  isDispute?: boolean;
  /** a police matter: the police channel keeps it (non-police matters are diverted) */
  police?: boolean;
  /** default urgency of a case of this category (urgent: no claim window, dispatched directly) */
  urgent?: boolean;
  /** the responsibility matrix: the first is responsible, all are offered the claim window */
  departmentIds?: string[];
  byStreet?: Record<string, string[]>;
  /** offer the case to the departments first (抢单) */
  claimWindow?: boolean;
  deadlines: Deadlines;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
};

/** The effective rules of a category: its own, else its parent's, else the county defaults. */
export type ResolvedCategory = {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  /** active only when the category and its parent both are */
  active: boolean;
  isDispute: boolean;
  police: boolean;
  urgent: boolean;
  departmentIds: string[];
  byStreet: Record<string, string[]>;
  claimWindow: boolean;
  deadlines: Record<DeadlineStage, Duration>;
  /** where each effective deadline and the claim window come from */
  sources: { deadlines: Record<DeadlineStage, "category" | "parent" | "county">; claimWindow: "category" | "parent" | "county" };
};

export const CreateCategory = z
  .object({
    code: CategoryCode,
    name: Name,
    parentId: Id.nullable().default(null),
    isDispute: z.boolean().optional(),
    police: z.boolean().optional(),
    urgent: z.boolean().optional(),
    departmentIds: DepartmentIds.optional(),
    byStreet: ByStreet.optional(),
    claimWindow: z.boolean().optional(),
    deadlines: Deadlines.default({}),
  })
  .strict();

/** `null` clears an override: a child inherits again, a top-level category gets the default. */
export const UpdateCategory = z
  .object({
    version: z.number().int().min(1),
    code: CategoryCode.optional(),
    name: Name.optional(),
    isDispute: z.boolean().nullable().optional(),
    police: z.boolean().nullable().optional(),
    urgent: z.boolean().nullable().optional(),
    departmentIds: DepartmentIds.nullable().optional(),
    byStreet: ByStreet.nullable().optional(),
    claimWindow: z.boolean().nullable().optional(),
    deadlines: z
      .object({
        accept: Duration.nullable().optional(),
        claim: Duration.nullable().optional(),
        dispatch: Duration.nullable().optional(),
        handle: Duration.nullable().optional(),
        verify: Duration.nullable().optional(),
        evaluate: Duration.nullable().optional(),
      })
      .strict()
      .optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateCategory = z.infer<typeof UpdateCategory>;

export const CategoryQuery = z.object({
  /** children of this category; `root` for the top level */
  parentId: IdRef(40).optional(),
  /** part of the name, or the start of the code */
  q: z.string().trim().min(1).max(64).optional(),
  active: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
});
