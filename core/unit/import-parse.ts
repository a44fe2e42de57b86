/**
 * Reading unit import files into rows (pure). Two formats, same columns:
 *
 * - GeoJSON FeatureCollection: Feature properties `code, name, parentCode, level?, type?,
 *   households?, population?` and geometry Polygon / MultiPolygon (or null). A row's `line` is
 *   the feature's number in the collection (1-based).
 * - CSV (RFC 4180, UTF-8 with or without BOM): header
 *   `code,name,parent_code,level,type,households,population,boundary` (any order; the first three
 *   are required), `boundary` in WKT or as GeoJSON geometry JSON. A row's `line` is the physical
 *   line its record starts on (the header is line 1).
 *
 * A file that cannot be read at all (not JSON, not a FeatureCollection, no header) throws
 * InvalidError; a row that cannot be used becomes an error `{line, reason}` and the others go on.
 */
import * as z from "zod/mini";
import { InvalidError, VisibleError } from "../errors.ts";
import "../zod-en.ts";
import { Boundary } from "../geo/schema.ts";
import { parseWkt } from "../geo/wkt.ts";
import { parseCsv } from "../job/csv.ts";
import type { JobError } from "../job/schema.ts";
import { Code } from "./code.ts";
import { UnitType } from "./type.ts";
import { notFeatureCollection, parseJsonText } from "./file-errors.ts";

import { csvHeader, CSV_COLUMNS, ImportFormat } from "./import-format.ts";

export { csvHeader, CSV_COLUMNS, ImportFormat };

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");
const codeish = (v: unknown) => (typeof v === "number" && Number.isSafeInteger(v) ? String(v) : typeof v === "string" ? v.trim() : v);
const countish = (v: unknown) => {
  if (blank(v)) return undefined;
  if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  return v;
};

/** zod/mini has no z.preprocess: the same transform-then-check pipe classic zod builds */
const preprocess = <T extends z.core.SomeType>(fn: (v: unknown) => unknown, schema: T) => z.pipe(z.transform(fn), schema as never) as unknown as z.ZodMiniPipe<z.ZodMiniTransform<unknown, unknown>, T>;

/** One row after field checks: what the planner works with. */
export const ImportRow = z.object({
  line: z.number().check(z.int()),
  code: preprocess(codeish, Code),
  name: preprocess((v) => (typeof v === "number" ? String(v) : v), z.string({ error: "required" }).check(z.trim(), z.minLength(1, "required"), z.maxLength(64))),
  /** empty only for the county root */
  parentCode: preprocess((v) => (blank(v) ? null : codeish(v)), z.nullable(Code)),
  /** level key (or the level's display name), checked against the depth */
  level: preprocess((v) => (blank(v) ? undefined : typeof v === "string" ? v.trim() : v), z.optional(z.string().check(z.maxLength(32)))),
  type: preprocess((v) => (blank(v) ? undefined : typeof v === "string" ? v.trim() : v), z.optional(UnitType)),
  households: preprocess(countish, z.optional(z.number({ error: "must be a whole number" }).check(z.int("must be a whole number"), z.gte(0), z.lte(10_000_000)))),
  population: preprocess(countish, z.optional(z.number({ error: "must be a whole number" }).check(z.int("must be a whole number"), z.gte(0), z.lte(10_000_000)))),
  boundary: preprocess((v) => (v === null ? undefined : v), z.optional(Boundary)),
});
export type ImportRow = z.infer<typeof ImportRow>;

/** A row as read from the file, before field checks. */
export interface RawRow {
  line: number;
  fields: Record<string, unknown>;
  /** the boundary text could not be read (bad WKT or JSON): the reason */
  boundaryError?: string;
  /** the row is unusable as a whole (e.g. not a Feature): the reason */
  rowError?: string;
}

/** Text of an InvalidError for a row report: message plus the field details. */
export function reasonOf(e: unknown, prefix = ""): string {
  if (e instanceof VisibleError) {
    const fields = (e.details as { fields?: Array<{ path: string; message: string }> } | undefined)?.fields;
    const detail = fields?.length ? `: ${fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join("; ")}` : "";
    return `${prefix}${e.message}${detail}`;
  }
  return `${prefix}${(e as Error).message ?? String(e)}`;
}

/** Field checks of one raw row. */
export function checkRow(raw: RawRow): { row: ImportRow } | { error: JobError } {
  if (raw.rowError) return { error: { line: raw.line, reason: raw.rowError } };
  const problems: string[] = [];
  if (raw.boundaryError) problems.push(raw.boundaryError);
  const fields = raw.boundaryError ? { ...raw.fields, boundary: undefined } : raw.fields;
  const out = ImportRow.safeParse({ ...fields, line: raw.line });
  if (!out.success) {
    for (const i of out.error.issues) {
      const path = i.path.map(String).join(".");
      problems.push(path ? `${path === "parentCode" ? "parent code" : path}: ${i.message}` : i.message);
    }
  }
  if (problems.length) return { error: { line: raw.line, reason: problems.slice(0, 5).join("; ") } };
  return { row: out.data! };
}

/** Rows of a GeoJSON FeatureCollection (text or already parsed). */
export async function readGeoJson(input: string | unknown): Promise<RawRow[]> {
  let doc: unknown = input;
  if (typeof input === "string") {
    const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
    doc = await parseJsonText(text);
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== "object" || fc.type !== "FeatureCollection" || !Array.isArray(fc.features)) throw notFeatureCollection(doc);
  return fc.features.map((f: any, i: number): RawRow => {
    const line = i + 1;
    if (!f || typeof f !== "object" || f.type !== "Feature") return { line, fields: {}, rowError: "not a GeoJSON Feature" };
    const p = f.properties && typeof f.properties === "object" ? f.properties : {};
    return {
      line,
      fields: {
        code: p.code,
        name: p.name,
        parentCode: p.parentCode ?? p.parent_code,
        level: p.level,
        type: p.type,
        households: p.households,
        population: p.population,
        boundary: f.geometry ?? undefined,
      },
    };
  });
}

/** A boundary cell: WKT, or GeoJSON geometry JSON when it starts with `{`. */
function readBoundaryCell(text: string): { boundary?: unknown; error?: string } {
  const t = text.trim();
  if (!t) return {};
  if (t.startsWith("{")) {
    try {
      return { boundary: JSON.parse(t) };
    } catch {
      return { error: "boundary: not valid GeoJSON geometry JSON" };
    }
  }
  try {
    return { boundary: parseWkt(t) };
  } catch (e) {
    return { error: reasonOf(e, "boundary: ") };
  }
}

/** Rows of a CSV file. */
export function readCsv(text: string): RawRow[] {
  const records = parseCsv(text);
  if (!records.length) throw new InvalidError("The CSV file is empty", { problem: "csv_empty", line: 1, column: 1 });
  const cols = csvHeader(records[0].fields);
  const cell = (r: string[], name: string) => {
    const i = cols.get(name);
    return i === undefined ? undefined : r[i];
  };
  return records.slice(1).map((rec): RawRow => {
    const f = rec.fields;
    const b = readBoundaryCell(cell(f, "boundary") ?? "");
    return {
      line: rec.line,
      fields: {
        code: cell(f, "code"),
        name: cell(f, "name"),
        parentCode: cell(f, "parent_code"),
        level: cell(f, "level"),
        type: cell(f, "type"),
        households: cell(f, "households"),
        population: cell(f, "population"),
        boundary: b.boundary,
      },
      boundaryError: b.error,
    };
  });
}

/** Read a file of either format into checked rows and row errors. */
export async function readImportFile(format: "geojson" | "csv", text: string): Promise<{ rows: ImportRow[]; errors: JobError[]; total: number }> {
  const raw = format === "csv" ? readCsv(text) : await readGeoJson(text);
  const rows: ImportRow[] = [];
  const errors: JobError[] = [];
  for (const r of raw) {
    const out = checkRow(r);
    if ("row" in out) rows.push(out.row);
    else errors.push(out.error);
  }
  return { rows, errors, total: raw.length };
}
