/**
 * Unit import rows from a zipped Shapefile (core/geo/shapefile.ts reads and reprojects it): the
 * county's attribute names are mapped to code / name / parent code (and optionally level, type,
 * households, population) — given by the caller, or found among the usual names (CODE, 编码, DM,
 * NAME, 名称, MC, PARENT, 上级编码…; .dbf names are cut at 10 characters, so parent_code arrives as
 * parent_cod). A row's `line` is the record's number in the .dbf.
 */
import * as z from "zod";
import { InvalidError } from "../errors.ts";
import type { JobError } from "../job/schema.ts";
import { checkRow, type ImportRow, type RawRow } from "./import-parse.ts";

const Attribute = z.string().trim().min(1).max(64);
export const ShapefileFields = z
  .object({
    code: Attribute.optional(),
    name: Attribute.optional(),
    parentCode: Attribute.optional(),
    level: Attribute.optional(),
    type: Attribute.optional(),
    households: Attribute.optional(),
    population: Attribute.optional(),
  })
  .strict();
export type ShapefileFields = z.infer<typeof ShapefileFields>;

/** The usual attribute names of each column in county GIS files (compared without case). */
const USUAL: Record<keyof ShapefileFields, string[]> = {
  code: ["code", "编码", "代码", "dm", "bm", "wgbm", "gridcode", "grid_code"],
  name: ["name", "名称", "mc", "wgmc", "gridname", "grid_name"],
  parentCode: ["parent_code", "parent_cod", "parentcode", "parent", "上级编码", "上级代码", "sjdm", "sjbm", "pcode"],
  level: ["level", "层级", "jb"],
  type: ["type", "类型", "lx"],
  households: ["households", "户数", "hs"],
  population: ["population", "人口", "rk", "rks"],
};

/** The mapping used: the caller's, else the usual names found in the file. Code, name and parent are required. */
export function fieldMapping(fields: string[], given: ShapefileFields = {}): Required<Pick<ShapefileFields, "code" | "name" | "parentCode">> & ShapefileFields {
  const out: ShapefileFields = {};
  const missing: string[] = [];
  for (const key of Object.keys(USUAL) as (keyof ShapefileFields)[]) {
    const want = given[key];
    if (want !== undefined) {
      if (!fields.includes(want)) throw new InvalidError(`The file has no attribute ${want} (it has ${fields.join(", ")})`, { problem: "no_attribute", fields: [{ path: `fields.${key}`, message: "not in the file" }] });
      out[key] = want;
      continue;
    }
    const found = fields.find((f) => USUAL[key].includes(f.toLowerCase()));
    if (found) out[key] = found;
    else if (key === "code" || key === "name" || key === "parentCode") missing.push(key);
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
