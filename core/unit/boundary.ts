/**
 * Boundaries route correctly: a unit's boundary must lie within its parent's and must not overlap
 * its siblings' (beyond the tolerance for shared edges, core/geo/topology.ts), so `locate` never
 * lands in a unit drawn outside its parent nor picks one of two overlapping units at random.
 * County setting `boundaryCheck`: `refuse` (default; 400 naming `boundary`, the sibling and the
 * area) or `warn` (accepted; the problems are kept on the unit as `boundaryWarnings` and audited).
 */
import { InvalidError } from "../errors.ts";
import { boundaryProblems, describeProblem, type BoundaryProblem, type Neighbour } from "../geo/topology.ts";
import type { Boundary } from "../geo/schema.ts";
import type { Settings } from "../settings/settings.ts";
import { activeChildren } from "./repo.ts";
import type { Unit } from "./schema.ts";

export type { BoundaryProblem };

/** Active siblings with a boundary under `parentId`, other than the unit itself. */
export async function siblingBoundaries(parentId: string, selfId?: string): Promise<Neighbour[]> {
  return (await activeChildren(parentId)).filter((u) => u.id !== selfId && u.boundary).map((u) => ({ id: u.id, code: u.code, name: u.name, boundary: u.boundary! }));
}

/**
 * Check a boundary against its parent and siblings. Refuses (400) when the county refuses;
 * otherwise returns the problems to record (empty when none).
 */
export async function checkBoundary(settings: Pick<Settings, "boundaryCheck">, boundary: Boundary | undefined, parent: Pick<Unit, "id" | "boundary">, selfId?: string, field = "boundary"): Promise<BoundaryProblem[]> {
  if (!boundary) return [];
  const problems = boundaryProblems(boundary, parent.boundary, await siblingBoundaries(parent.id, selfId));
  if (problems.length && settings.boundaryCheck !== "warn") {
    throw new InvalidError("The boundary does not fit its place in the hierarchy", {
      fields: problems.map((p) => ({ path: field, message: describeProblem(p) })),
      problems,
    });
  }
  return problems;
}

/** Audit text of recorded boundary warnings. */
export const warningSummary = (problems: readonly BoundaryProblem[]) => (problems.length ? ` (boundary warnings: ${problems.map(describeProblem).join("; ")})` : "");
