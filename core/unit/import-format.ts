/**
 * What the unit import request checks before it queues a job (core/unit/import-start.ts): the file
 * formats, a CSV header's columns and a Shapefile's attribute mapping. Apart from the readers
 * (import-parse.ts, import-shapefile.ts, which re-export these) so the request does not load the
 * geometry schemas (flatbush, gcoord) the rows need (issue #15).
 */
import * as z from "zod/mini";
import { InvalidError } from "../errors.ts";

export const ImportFormat = z.enum(["geojson", "csv", "shapefile"]);
export type ImportFormat = z.infer<typeof ImportFormat>;

export const CSV_COLUMNS = ["code", "name", "parent_code", "level", "type", "households", "population", "boundary"] as const;
const REQUIRED_CSV_COLUMNS = ["code", "name", "parent_code"];

/** The columns of a CSV header line, or an InvalidError naming the missing ones. */
export function csvHeader(fields: string[]): Map<string, number> {
  const index = new Map<string, number>();
  fields.forEach((f, i) => {
    const name = f.trim().toLowerCase().replace(/\s+/g, "_").replace(/^parentcode$/, "parent_code");
    if (!index.has(name)) index.set(name, i);
  });
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !index.has(c));
  if (missing.length) {
    throw new InvalidError(`The CSV header must name the columns ${CSV_COLUMNS.join(",")}; missing: ${missing.join(", ")}`, { problem: "csv_missing_columns", line: 1, column: 1, missing });
  }
  return index;
}

const Attribute = z.string().check(z.trim(), z.minLength(1), z.maxLength(64));
export const ShapefileFields = z.strictObject({
    code: z.optional(Attribute),
    name: z.optional(Attribute),
    parentCode: z.optional(Attribute),
    level: z.optional(Attribute),
    type: z.optional(Attribute),
    households: z.optional(Attribute),
    population: z.optional(Attribute),
  });
export type ShapefileFields = z.infer<typeof ShapefileFields>;
