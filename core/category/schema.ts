import * as z from "zod/mini";
import { Cursor, IdRef } from "../db/ids.ts";
import { Duration } from "../calendar/schema.ts";
import type { DeadlineStage } from "../case/schema.ts";

/** Category codes: letters (upper-cased), digits, `.`, `_` or `-`; unique in the county (e.g. 01, 0102, CG-01). */
export const CategoryCode = z.string().check(z.trim(), z.toUpperCase(), z.regex(/^[A-Z0-9][A-Z0-9._-]{0,31}$/, "letters, digits, . _ or -, at most 32"), z.maxLength(32));
const Name = z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(64));
const Id = IdRef(40);
const DepartmentIds = z.pipe(z.array(Id).check(z.maxLength(50)), z.transform((ids) => [...new Set(ids)]));
/** Per-street override of the responsible departments: street unit id → department ids. */
const ByStreet = z.record(Id, DepartmentIds).check(z.refine((r) => Object.keys(r).length <= 300, "at most 300 streets"));

/** Stage time limits; each one unset is inherited (from the parent, then the county defaults). */
export const Deadlines = z.strictObject({
    accept: z.optional(Duration),
    claim: z.optional(Duration),
    dispatch: z.optional(Duration),
    handle: z.optional(Duration),
    verify: z.optional(Duration),
    evaluate: z.optional(Duration),
  });
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

export const CreateCategory = z.strictObject({
    code: CategoryCode,
    name: Name,
    parentId: z._default(z.nullable(Id), null),
    isDispute: z.optional(z.boolean()),
    police: z.optional(z.boolean()),
    urgent: z.optional(z.boolean()),
    departmentIds: z.optional(DepartmentIds),
    byStreet: z.optional(ByStreet),
    claimWindow: z.optional(z.boolean()),
    deadlines: z._default(Deadlines, {}),
  });

/** `null` clears an override: a child inherits again, a top-level category gets the default. */
export const UpdateCategory = z.strictObject({
    version: z.number().check(z.int(), z.gte(1)),
    code: z.optional(CategoryCode),
    name: z.optional(Name),
    isDispute: z.optional(z.nullable(z.boolean())),
    police: z.optional(z.nullable(z.boolean())),
    urgent: z.optional(z.nullable(z.boolean())),
    departmentIds: z.optional(z.nullable(DepartmentIds)),
    byStreet: z.optional(z.nullable(ByStreet)),
    claimWindow: z.optional(z.nullable(z.boolean())),
    deadlines: z.optional(z.strictObject({
        accept: z.optional(z.nullable(Duration)),
        claim: z.optional(z.nullable(Duration)),
        dispatch: z.optional(z.nullable(Duration)),
        handle: z.optional(z.nullable(Duration)),
        verify: z.optional(z.nullable(Duration)),
        evaluate: z.optional(z.nullable(Duration)),
      })),
    active: z.optional(z.boolean()),
  });
export type UpdateCategory = z.infer<typeof UpdateCategory>;

export const CategoryQuery = z.object({
  /** children of this category; `root` for the top level */
  parentId: z.optional(IdRef(40)),
  /** part of the name, or the start of the code */
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
  active: z.optional(z.enum(["true", "false"])),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});
