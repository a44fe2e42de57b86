import * as z from "zod/mini";
import { IdRef } from "../db/ids.ts";

/** Ids per kind in one request: one BatchGet of 100 keys each (plus the ancestors of the units). */
export const MAX_NAMES = 100;

const Id = IdRef(128);
const Ids = z._default(z.array(Id).check(z.maxLength(MAX_NAMES)), []);

/** `POST /v1/names`: the ids whose labels the caller needs. */
export const NamesRequest = z.strictObject({ units: Ids, users: Ids, departments: Ids }).check(z.refine((r) => r.units.length + r.users.length + r.departments.length > 0, { message: "ask for at least one id" }));
export type NamesRequest = z.infer<typeof NamesRequest>;

/** What a unit label needs: its name, code, level and the names of the units above it (county first). */
export const UnitName = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  level: z.string(),
  /** names from the top of the tree down to this unit, inclusive */
  path: z.array(z.string()),
});
export type UnitName = z.infer<typeof UnitName>;

/** What a person label needs: the display name and nothing else (no username, phone or roles). */
export const UserName = z.object({ id: z.string(), displayName: z.string() });
export type UserName = z.infer<typeof UserName>;

export const DepartmentName = z.object({ id: z.string(), name: z.string() });
export type DepartmentName = z.infer<typeof DepartmentName>;

/** Labels by id; ids that do not exist are absent. */
export const Names = z.object({
  units: z.record(z.string(), UnitName),
  users: z.record(z.string(), UserName),
  departments: z.record(z.string(), DepartmentName),
});
export type Names = z.infer<typeof Names>;
