/**
 * Planning a unit import (pure): which rows can be written, at which depth, and why the others
 * cannot. Checks, per row: code vs parent code (checkChildCode), parent found (in the file or in
 * the county), level consistent with the depth, duplicate codes in the file, the caller's scope,
 * type "county" only for the root, and that an existing unit with the code sits under the same
 * parent. A row whose parent row is rejected is rejected too, so whatever is written is a
 * connected part of the tree.
 */
import { inScopes } from "../auth/principal.ts";
import type { JobError } from "../job/schema.ts";
import { levelKey, type Settings } from "../settings/settings.ts";
import { checkChildCode } from "./codes.ts";
import { reasonOf, type ImportRow } from "./import-parse.ts";

/** What the planner needs to know of a unit already in the table. */
export interface UnitRef {
  id: string;
  code: string;
  parentId: string | null;
  path: string;
  depth: number;
  active: boolean;
}

export interface PlannedRow extends ImportRow {
  depth: number;
  /** level key of the depth */
  level: string;
  /** boundary problems accepted under boundaryCheck = warn (import-geometry.ts) */
  boundaryWarnings?: import("../geo/topology.ts").BoundaryProblem[];
}

export interface Plan {
  /** rows to write, parents before children (by depth, then code) */
  rows: PlannedRow[];
  /** rejected rows, by line */
  errors: JobError[];
}

/** Codes whose units must be looked up before planning: the rows' codes and their parents' codes. */
export function codesToLookUp(rows: ImportRow[]): { rowCodes: string[]; parentCodes: string[] } {
  const rowCodes = new Set<string>();
  const parentCodes = new Set<string>();
  for (const r of rows) {
    rowCodes.add(r.code);
    if (r.parentCode) parentCodes.add(r.parentCode);
  }
  return { rowCodes: [...rowCodes], parentCodes: [...parentCodes].filter((c) => !rowCodes.has(c)) };
}

export function planImport(rows: ImportRow[], ctx: { settings: Settings; existing: Map<string, UnitRef>; scopes: string[] }): Plan {
  const { settings, existing, scopes } = ctx;
  const errors = new Map<number, string>();
  const byCode = new Map<string, ImportRow[]>();
  for (const r of rows) {
    const list = byCode.get(r.code);
    if (list) list.push(r);
    else byCode.set(r.code, [r]);
  }
  const unique = new Map<string, ImportRow>();
  for (const [code, list] of byCode) {
    if (list.length === 1) unique.set(code, list[0]);
    else for (const r of list) errors.set(r.line, `duplicate code ${code} in the file (lines ${list.map((x) => x.line).join(", ")})`);
  }
  const outside = "outside your part of the hierarchy";
  const resolved = new Map<string, { depth: number; level: string } | null>();

  const resolve = (row: ImportRow): { depth: number; level: string } | null => {
    if (resolved.has(row.code)) return resolved.get(row.code)!;
    resolved.set(row.code, null); // guard (codes strictly lengthen down the tree, so no cycles)
    const out = errors.has(row.line) ? null : compute(row);
    if (typeof out === "string") {
      errors.set(row.line, out);
      return null;
    }
    resolved.set(row.code, out);
    return out;
  };

  const compute = (row: ImportRow): { depth: number; level: string } | string | null => {
    const self = existing.get(row.code);
    if (row.parentCode === null) {
      if (!self || self.parentId !== null) return "parent code is required (only the county root has none)";
      if (!inScopes(self.path, scopes)) return outside;
      if (row.type && row.type !== "county") return 'the county root has type "county"';
      if (row.level && row.level !== "county") return `level "${row.level}" does not match: the county root is "county"`;
      return { depth: 0, level: "county" };
    }
    const parentCode = row.parentCode;
    if (!(row.code.length > parentCode.length && row.code.startsWith(parentCode))) {
      return `code ${row.code} must be the parent code ${parentCode} followed by its level's digits`;
    }
    const parentRow = unique.get(parentCode);
    const parentRef = existing.get(parentCode);
    let parentDepth: number;
    if (parentRow) {
      const p = resolve(parentRow);
      if (!p) return `parent ${parentCode} (line ${parentRow.line}) is not imported: its row has errors`;
      parentDepth = p.depth;
    } else if (byCode.has(parentCode)) {
      return `parent ${parentCode} is not imported: its code is duplicated in the file`;
    } else if (parentRef) {
      parentDepth = parentRef.depth;
    } else {
      return `parent ${parentCode} not found in the file or in the county`;
    }
    if (parentRef && !parentRef.active && !self) return `parent ${parentCode} is inactive`;
    try {
      checkChildCode(settings, { code: parentCode, depth: parentDepth }, row.code);
    } catch (e) {
      return reasonOf(e);
    }
    const depth = parentDepth + 1;
    const def = settings.levels[depth - 1];
    if (row.level && row.level !== def.key && row.level !== def.name) {
      return `level "${row.level}" does not match: a unit under ${parentCode} is a "${def.key}" (${def.name})`;
    }
    if (row.type === "county") return 'type "county" is only for the county root';
    if (self) {
      if (!parentRef || self.parentId !== parentRef.id) return `code ${row.code} is already used by a unit under another parent`;
      if (!inScopes(self.path, scopes)) return outside;
    } else if (parentRef && !inScopes(parentRef.path, scopes)) {
      return outside;
    }
    return { depth, level: levelKey(settings, depth) };
  };

  const planned: PlannedRow[] = [];
  for (const r of rows) {
    const p = resolve(r);
    if (p && !errors.has(r.line)) planned.push({ ...r, depth: p.depth, level: p.level });
  }
  planned.sort((a, b) => a.depth - b.depth || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    rows: planned,
    errors: [...errors].map(([line, reason]) => ({ line, reason })).sort((a, b) => a.line - b.line),
  };
}
