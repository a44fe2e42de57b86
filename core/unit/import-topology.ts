/**
 * The topology report of an import, made before anything is written (`mode=check`): what a county's
 * GIS file gets wrong and the admin decides on, each finding with a stable id —
 * - `overlap:<codeA>:<codeB>` two siblings share more than drawing noise (area in m², the shared
 *   area as a shape to highlight on the map);
 * - `outside:<code>` a unit reaches outside its parent (area, the part outside);
 * - `gap:<parentCode>` the children of a unit leave part of it uncovered (area, the gap);
 * - `duplicate:<code>` a code is on several lines of the file.
 * Overlaps and units outside their parent are the boundary problems the import refuses under the
 * county's `boundaryCheck = refuse`; an import that names them in `accept` writes those rows with
 * their warnings instead (import-geometry.ts). Gaps are reported, never refused (a county may leave
 * land outside any grid). Duplicated codes cannot be accepted: the file must be fixed.
 */
import { checkImportBoundaries, problemIds } from "./import-geometry.ts";
import type { PlannedRow, UnitRef } from "./import-plan.ts";
import type { ImportRow } from "./import-parse.ts";
import { areaM2, gapShape, outsideShape, overlapShape, tolerance } from "../geo/topology.ts";
import type { Boundary } from "../geo/schema.ts";

export type FindingKind = "overlap" | "outside_parent" | "gap" | "duplicate_code";

export interface TopologyFinding {
  id: string;
  kind: FindingKind;
  /** the units concerned (codes), and the file lines they are on (0: a unit of the county, not in the file) */
  codes: string[];
  lines: number[];
  areaM2?: number;
  /** the area as a share of the (first) unit's own area */
  share?: number;
  /** what to highlight on the map */
  highlight?: Boundary;
  /** may the import write it anyway (every kind but duplicate codes) */
  acceptable: boolean;
}

/** Findings are capped (a file drawn in a wrong projection overlaps everywhere): the count says how many there were. */
export const MAX_FINDINGS = 500;

export async function topologyReport(read: readonly ImportRow[], plannedRows: readonly PlannedRow[], refs: Map<string, UnitRef>): Promise<{ findings: TopologyFinding[]; count: number }> {
  const findings: TopologyFinding[] = [];
  const lineOf = new Map(plannedRows.map((r) => [r.code, r.line]));

  // codes on several lines
  const byCode = new Map<string, number[]>();
  for (const r of read) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r.line]);
  for (const [code, lines] of byCode) if (lines.length > 1) findings.push({ id: `duplicate:${code}`, kind: "duplicate_code", codes: [code], lines, acceptable: false });

  // overlaps and units outside their parent: the import's own check, every problem collected
  const geometry = await checkImportBoundaries(plannedRows, refs, { boundaryCheck: "warn" });
  const shapes = new Map(plannedRows.filter((r) => r.boundary).map((r) => [r.code, r.boundary!]));
  // the parents and their children as the check read them (every parent of a row with a boundary: all the gaps need)
  const { parents: parentUnits, children: childrenOf } = geometry.read;
  const parentShape = (r: PlannedRow): Boundary | undefined => (r.parentCode ? (shapes.get(r.parentCode) ?? parentUnits.get(refs.get(r.parentCode)?.id ?? "")?.boundary) : undefined);
  const seen = new Set<string>();
  for (const row of plannedRows) {
    for (const p of geometry.problems.get(row.code) ?? []) {
      const [id] = problemIds(row.code, [p]);
      if (seen.has(id)) continue;
      seen.add(id);
      if (p.kind === "outside_parent") {
        const parent = parentShape(row);
        findings.push({ id, kind: "outside_parent", codes: [row.code], lines: [row.line], areaM2: p.areaM2, share: p.share, highlight: parent ? outsideShape(row.boundary!, parent) : undefined, acceptable: true });
      } else {
        const other = shapes.get(p.siblingCode);
        findings.push({
          id,
          kind: "overlap",
          codes: [row.code, p.siblingCode],
          lines: [row.line, lineOf.get(p.siblingCode) ?? 0],
          areaM2: p.areaM2,
          share: p.share,
          highlight: other ? overlapShape(row.boundary!, other) : undefined,
          acceptable: true,
        });
      }
    }
  }

  // gaps: a parent with a boundary whose children (in the file, and the county's others) all have one
  const parents = [...new Set(plannedRows.filter((r) => r.parentCode).map((r) => r.parentCode!))];
  for (const parentCode of parents) {
    const inFile = plannedRows.filter((r) => r.parentCode === parentCode);
    const parentRow = plannedRows.find((r) => r.code === parentCode);
    const parentUnit = parentUnits.get(refs.get(parentCode)?.id ?? "");
    const boundary = parentRow?.boundary ?? parentUnit?.boundary;
    if (!boundary || inFile.some((r) => !r.boundary)) continue;
    const codes = new Set(inFile.map((r) => r.code));
    const others = parentUnit ? (childrenOf.get(parentUnit.id) ?? []).filter((u) => !codes.has(u.code)) : [];
    if (others.some((u) => !u.boundary)) continue;
    const children = [...inFile.map((r) => r.boundary!), ...others.map((u) => u.boundary!)];
    const gap = gapShape(boundary, children);
    const own = areaM2(boundary);
    if (gap.areaM2 > tolerance(own)) {
      findings.push({ id: `gap:${parentCode}`, kind: "gap", codes: [parentCode], lines: [parentRow?.line ?? 0], areaM2: Math.round(gap.areaM2), share: own > 0 ? Math.round((gap.areaM2 / own) * 1000) / 1000 : 1, highlight: gap.shape, acceptable: true });
    }
  }
  findings.sort((a, b) => (b.areaM2 ?? Infinity) - (a.areaM2 ?? Infinity));
  return { findings: findings.slice(0, MAX_FINDINGS), count: findings.length };
}
