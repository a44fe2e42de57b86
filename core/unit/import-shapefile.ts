/**
 * Unit import rows from a zipped Shapefile (core/geo/shapefile.ts reads and reprojects it): the
 * county's attribute names are mapped to code / name / parent code (and optionally level, type,
 * households, population) — given by the caller, or found among the usual names
 * (./shapefile-fields.ts). A row's `line` is the record's number in the .dbf.
 */
import { InvalidError } from "../errors.ts";
import type { JobError } from "../job/schema.ts";
import { checkRow, type ImportRow, type RawRow } from "./import-parse.ts";
import { REQUIRED_KEYS, SHAPEFILE_KEYS, usualAttribute } from "./shapefile-fields.ts";

import { ShapefileFields } from "./import-format.ts";

export { ShapefileFields };

/** The mapping used: the caller's, else the usual names found in the file. Code, name and parent are required. */
export function fieldMapping(fields: string[], given: ShapefileFields = {}): Required<Pick<ShapefileFields, "code" | "name" | "parentCode">> & ShapefileFields {
  const out: ShapefileFields = {};
  const missing: string[] = [];
  for (const key of SHAPEFILE_KEYS) {
    const want = given[key];
    if (want !== undefined) {
      if (!fields.includes(want)) throw new InvalidError(`The file has no attribute ${want} (it has ${fields.join(", ")})`, { problem: "no_attribute", fields: [{ path: `fields.${key}`, message: "not in the file" }] });
      out[key] = want;
      continue;
    }
    const found = usualAttribute(fields, key);
    if (found) out[key] = found;
    else if (REQUIRED_KEYS.includes(key)) missing.push(key);
  }
  if (missing.length) {
    throw new InvalidError(`Say which attributes hold ${missing.join(", ")} (the file has ${fields.join(", ")})`, {
      problem: "unmapped_attributes",
      missing,
      fields: missing.map((m) => ({ path: `fields.${m}`, message: "which attribute?" })),
    });
  }
  return out as ReturnType<typeof fieldMapping>;
}

/** Rows of a read Shapefile under a mapping, with the field checks of every import. */
export function shapefileRows(
  features: { record: number; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } | null }[],
  mapping: ShapefileFields,
): { rows: ImportRow[]; errors: JobError[]; total: number } {
  const rows: ImportRow[] = [];
  const errors: JobError[] = [];
  for (const f of features) {
    const v = (k: keyof ShapefileFields) => (mapping[k] ? f.properties[mapping[k]!] : undefined);
    const geometry = f.geometry;
    const raw: RawRow = {
      line: f.record,
      fields: { code: v("code"), name: v("name"), parentCode: v("parentCode"), level: v("level"), type: v("type"), households: v("households"), population: v("population"), boundary: geometry ?? undefined },
      ...(geometry && geometry.type !== "Polygon" && geometry.type !== "MultiPolygon" ? { rowError: `a ${geometry.type} is not an area: units need polygons` } : {}),
    };
    const out = checkRow(raw);
    if ("row" in out) rows.push(out.row);
    else errors.push(out.error);
  }
  return { rows, errors, total: features.length };
}
