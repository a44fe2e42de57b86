/**
 * Boundary checks of a unit import (core/unit/boundary.ts for single writes): every row with a
 * boundary must lie within its parent's boundary (the parent's row in the file, else the unit in
 * the county) and must not overlap its siblings (the other rows under the same parent, and the
 * parent's units in the county that the file does not replace). With the county's `boundaryCheck`
 * = refuse such rows are rejected — and the rows below them, so what is written stays connected;
 * with `warn` they are written with `boundaryWarnings` and listed in the job's `result.warnings`.
 */
import type { JobError } from "../job/schema.ts";
import { boundaryProblems, describeProblem, type BoundaryProblem, type Neighbour } from "../geo/topology.ts";
import type { Boundary } from "../geo/schema.ts";
import type { Settings } from "../settings/settings.ts";
import { activeChildren, getUnits } from "./repo.ts";
import type { PlannedRow, UnitRef } from "./import-plan.ts";
import type { Unit } from "./schema.ts";

export interface ImportGeometry {
  /** rows refused (refuse mode), and rows below them */
  errors: JobError[];
  /** rows accepted with boundary problems (warn mode) */
  warnings: JobError[];
  /** the problems of each accepted row, by code (warn mode) */
  problems: Map<string, BoundaryProblem[]>;
  /** what the check read, for the topology report to reuse: the parents in the county, by id, and their active children */
  read: { parents: Map<string, Unit>; children: Map<string, Unit[]> };
}

/** The finding ids of one row's boundary problems (import-topology.ts): what `accept` must name for the row to be written under `refuse`. */
export function problemIds(code: string, problems: readonly BoundaryProblem[]): string[] {
  return problems.map((p) => (p.kind === "outside_parent" ? `outside:${code}` : `overlap:${[code, p.siblingCode].sort().join(":")}`));
}

/**
 * `accepted`: finding ids the admin accepted after the topology report (`mode=check`); a row whose
 * every problem is accepted is written with its warnings even under `refuse`.
 */
export async function checkImportBoundaries(rows: readonly PlannedRow[], refs: Map<string, UnitRef>, settings: Pick<Settings, "boundaryCheck">, accepted: ReadonlySet<string> = new Set()): Promise<ImportGeometry> {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const parentCodes = [...new Set(rows.filter((r) => r.boundary && r.parentCode).map((r) => r.parentCode!))];
  const existingParents = await getUnits(parentCodes.map((c) => refs.get(c)?.id).filter((id): id is string => Boolean(id)));
  const errors: JobError[] = [];
  const warnings: JobError[] = [];
  const problems = new Map<string, BoundaryProblem[]>();
  const rejected = new Set<string>();
  const children = new Map<string, Unit[]>();
  for (const parentCode of parentCodes) {
    const parentRef = refs.get(parentCode);
    const parentUnit = parentRef ? existingParents.get(parentRef.id) : undefined;
    const parentBoundary: Boundary | undefined = byCode.get(parentCode)?.boundary ?? parentUnit?.boundary;
    const fileSiblings = rows.filter((r) => r.parentCode === parentCode && r.boundary);
    const inFile = new Set(fileSiblings.map((r) => r.code));
    if (parentUnit) children.set(parentUnit.id, await activeChildren(parentUnit.id));
    const county: Neighbour[] = parentUnit
      ? children.get(parentUnit.id)!.filter((u) => u.boundary && !inFile.has(u.code)).map((u) => ({ id: u.id, code: u.code, name: u.name, boundary: u.boundary! }))
      : [];
    const neighbours: Neighbour[] = [...county, ...fileSiblings.map((r) => ({ id: refs.get(r.code)?.id ?? `line ${r.line}`, code: r.code, name: r.name, boundary: r.boundary! }))];
    for (const row of fileSiblings) {
      const found = boundaryProblems(row.boundary!, parentBoundary, neighbours.filter((n) => n.code !== row.code));
      if (!found.length) continue;
      const reason = `boundary: ${found.map(describeProblem).join("; ")}`;
      if (settings.boundaryCheck === "warn" || problemIds(row.code, found).every((id) => accepted.has(id))) {
        problems.set(row.code, found);
        warnings.push({ line: row.line, reason });
      } else {
        errors.push({ line: row.line, reason });
        rejected.add(row.code);
      }
    }
  }
  // rows under a refused row are refused too (parents come before children: depth order)
  for (const row of [...rows].sort((a, b) => a.depth - b.depth)) {
    if (row.parentCode && rejected.has(row.parentCode) && !rejected.has(row.code)) {
      rejected.add(row.code);
      errors.push({ line: row.line, reason: `parent ${row.parentCode} was rejected` });
    }
  }
  return { errors, warnings, problems, read: { parents: existingParents, children } };
}
