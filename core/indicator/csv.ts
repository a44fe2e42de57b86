/** CSV for indicator uploads and appraisal downloads: the one reader (core/job/csv.ts) and the one writer (core/csv.ts). */
import { parseCsv as parseRecords } from "../job/csv.ts";

export { BOM, csvCell as csvField, toCsv } from "../csv.ts";

/** Rows of fields; a leading byte-order mark is dropped, blank lines are skipped. */
export const parseCsv = (text: string): string[][] => parseRecords(text).map((r) => r.fields);
