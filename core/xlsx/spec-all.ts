/** Every list's sheets by list, for the code that handles any list (the import job, the corrected file). */
import { CATEGORIES } from "./spec-categories.ts";
import { DEPARTMENTS } from "./spec-departments.ts";
import { HOUSEHOLDS, PEOPLE } from "./spec-registry.ts";
import { STAFF } from "./spec-staff.ts";
import { UNITS } from "./spec-units.ts";
import { BOOK_SPECS } from "./spec-books.ts";
import type { ListSpec, XlsxList } from "./specs.ts";

export * from "./specs.ts";
export * from "./spec-categories.ts";
export * from "./spec-departments.ts";
export * from "./spec-registry.ts";
export * from "./spec-staff.ts";
export * from "./spec-units.ts";

/** The main sheet of each list (its problems' column names). */
export const SPECS: Record<XlsxList, ListSpec> = { staff: STAFF, departments: DEPARTMENTS, categories: CATEGORIES, households: HOUSEHOLDS, people: PEOPLE, units: UNITS };

/** The sheets of each list's workbook, in order: the people's workbook holds their households too (a member may name a household of the same file). */
export const BOOKS: Record<XlsxList, ListSpec[]> = { staff: [STAFF], departments: [DEPARTMENTS], categories: [CATEGORIES], ...BOOK_SPECS };

