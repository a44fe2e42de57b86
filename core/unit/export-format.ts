/**
 * Unit tree files (pure): the formats `GET /v1/units/export` writes and the import reads.
 * GeoJSON: a FeatureCollection, one Feature per line, properties
 * `code, name, parentCode, level, type, households?, population?`. CSV: UTF-8 with a BOM (so
 * Excel shows Chinese), CRLF, header `code,name,parent_code,level,type,households,population,boundary`,
 * boundary in WKT. Rows are ordered parents before children (by depth, then code).
 */
import type { Boundary } from "../geo/schema.ts";
import { formatWkt } from "../geo/wkt.ts";
import { BOM, csvLine } from "../csv.ts";
import { CSV_COLUMNS } from "./import-parse.ts";
import type { Unit } from "./schema.ts";

export interface TreeRow {
  code: string;
  name: string;
  parentCode: string | null;
  level?: string;
  type?: string;
  households?: number;
  population?: number;
  boundary?: Boundary;
}

/** Rows of stored units; the parent code of a unit whose parent is not among them comes from `parentCodes`. */
export function unitsToRows(units: Unit[], parentCodes: Map<string, string> = new Map()): TreeRow[] {
  const codeOf = new Map(units.map((u) => [u.id, u.code]));
  return [...units]
    .sort((a, b) => a.depth - b.depth || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((u) => ({
      code: u.code,
      name: u.name,
      parentCode: u.parentId ? (codeOf.get(u.parentId) ?? parentCodes.get(u.parentId) ?? null) : null,
      level: u.level,
      type: u.type,
      households: u.households,
      population: u.population,
      boundary: u.boundary,
    }));
}

export function toGeoJson(rows: TreeRow[]): string {
  const features = rows.map((r) => {
    const properties: Record<string, unknown> = { code: r.code, name: r.name, parentCode: r.parentCode };
    if (r.level !== undefined) properties.level = r.level;
    if (r.type !== undefined) properties.type = r.type;
    if (r.households !== undefined) properties.households = r.households;
    if (r.population !== undefined) properties.population = r.population;
    return JSON.stringify({ type: "Feature", properties, geometry: r.boundary ?? null });
  });
  return `{"type":"FeatureCollection","features":[\n${features.join(",\n")}\n]}\n`;
}

export function toCsv(rows: TreeRow[]): string {
  let out = BOM + csvLine([...CSV_COLUMNS]);
  for (const r of rows) {
    out += csvLine([r.code, r.name, r.parentCode ?? "", r.level, r.type, r.households, r.population, r.boundary ? formatWkt(r.boundary) : ""]);
  }
  return out;
}
