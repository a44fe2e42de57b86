import * as z from "zod";
import { Cursor, IdFilter, IdRef } from "../db/ids.ts";

/** Department codes: letters (upper-cased), digits, `_` or `-`; unique in the county. */
export const DepartmentCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, "letters, digits, _ or -, at most 32")
  .max(32);
const Name = z.string().trim().min(1, "required").max(64);
/** Mobile or landline (0592-1234567), optionally international. */
const Phone = z.string().trim().max(21).regex(/^\+?\d[\d -]{4,19}$/, "a phone number");
const UnitIds = z.array(IdRef(40)).max(500).transform((ids) => [...new Set(ids)]);

export const Contact = z.object({ name: Name, phone: Phone.optional() }).strict();
export type Contact = z.infer<typeof Contact>;

export const Department = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  contact: z.object({ name: z.string(), phone: z.string().optional() }),
  /** the units this department serves */
  unitIds: z.array(z.string()),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Department = z.infer<typeof Department>;

export const CreateDepartment = z
  .object({
    name: Name,
    code: DepartmentCode,
    contact: Contact,
    unitIds: UnitIds.default([]),
  })
  .strict();

export const UpdateDepartment = z
  .object({
    version: z.number().int().min(1),
    name: Name.optional(),
    code: DepartmentCode.optional(),
    contact: Contact.optional(),
    unitIds: UnitIds.optional(),
    active: z.boolean().optional(),
  })
  .strict();

export const DepartmentQuery = z.object({
  /** part of the name, or the start of the code */
  q: z.string().trim().min(1).max(64).optional(),
  active: z.enum(["true", "false"]).optional(),
  /** departments serving this unit */
  unitId: IdFilter(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
});
