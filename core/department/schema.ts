import * as z from "zod/mini";
import { Cursor, IdFilter, IdRef } from "../db/ids.ts";

/** Department codes: letters (upper-cased), digits, `_` or `-`; unique in the county. */
export const DepartmentCode = z.string().check(z.trim(), z.toUpperCase(), z.regex(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, "letters, digits, _ or -, at most 32"), z.maxLength(32));
const Name = z.string().check(z.trim(), z.minLength(1, "required"), z.maxLength(64));
/** Mobile or landline (0592-1234567), optionally international. */
const Phone = z.string().check(z.trim(), z.maxLength(21), z.regex(/^\+?\d[\d -]{4,19}$/, "a phone number"));
const UnitIds = z.pipe(z.array(IdRef(40)).check(z.maxLength(500)), z.transform((ids) => [...new Set(ids)]));

export const Contact = z.strictObject({ name: Name, phone: z.optional(Phone) });
export type Contact = z.infer<typeof Contact>;

export const Department = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  contact: z.object({ name: z.string(), phone: z.optional(z.string()) }),
  /** the units this department serves */
  unitIds: z.array(z.string()),
  active: z.boolean(),
  version: z.number().check(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Department = z.infer<typeof Department>;

export const CreateDepartment = z.strictObject({
    name: Name,
    code: DepartmentCode,
    contact: Contact,
    unitIds: z._default(UnitIds, []),
  });

export const UpdateDepartment = z.strictObject({
    version: z.number().check(z.int(), z.gte(1)),
    name: z.optional(Name),
    code: z.optional(DepartmentCode),
    contact: z.optional(Contact),
    unitIds: z.optional(UnitIds),
    active: z.optional(z.boolean()),
  });

export const DepartmentQuery = z.object({
  /** part of the name, or the start of the code */
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
  active: z.optional(z.enum(["true", "false"])),
  /** departments serving this unit */
  unitId: z.optional(IdFilter(40)),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});
