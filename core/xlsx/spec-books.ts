import { HOUSEHOLDS_BOOK, PEOPLE_BOOK } from "./spec-registry.ts";
import { UNITS } from "./spec-units.ts";
import type { BookList, ListSpec } from "./specs.ts";

/**
 * The sheets of the workbooks that are books of their own, in order (the people's workbook holds
 * their households too). Apart from spec-all.ts's BOOKS (which spreads these) so that the import of
 * a book loads no other list's layout (issue #15).
 */
export const BOOK_SPECS: Record<BookList, ListSpec[]> = { households: HOUSEHOLDS_BOOK, people: PEOPLE_BOOK, units: [UNITS] };
