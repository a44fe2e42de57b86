import { ConflictError, InvalidError } from "../errors.ts";
import { rungsOf } from "./ladder.ts";
import type { Actor, Case, CaseState, Owner } from "./schema.ts";

/**
 * Referential integrity of case actions (docs/case-lifecycle.md, invariant 1).
 *
 * Every id an action carries or implies (dispatch target, merge target, the claiming department,
 * the responsible and candidate departments, the handler a rework returns to) is looked up by the
 * service before `decide` and handed to it as `Refs`; `decide` checks them in the same decision
 * and returns `checks` that the repo re-asserts as ConditionChecks in the same transaction, so a
 * target deactivated or closed between the read and the write fails the write (409) instead of
 * stranding the case. Pure: no I/O.
 */

export type DeptRef = { id: string; active: boolean; /** units the department serves; empty: the whole county */ unitIds: string[] };
export type UnitRef = { id: string; active: boolean; path: string };
export type CaseRef = { id: string; state: CaseState; /** the actor may see it */ visible: boolean };

/** What the service loaded for this decision; an id that is absent is unknown. */
export type Refs = {
  departments: ReadonlyMap<string, DeptRef>;
  units: ReadonlyMap<string, UnitRef>;
  cases: ReadonlyMap<string, CaseRef>;
};

export const NO_REFS: Refs = { departments: new Map(), units: new Map(), cases: new Map() };

/** Re-checked inside the commit: the department or unit is still active, the case still open. */
export type RefCheck = { kind: "department" | "unit" | "case"; id: string; /** the action's field it came from */ field?: string };

export const OPEN: readonly CaseState[] = ["reported", "accepted", "claimable", "dispatched", "in_progress", "handled", "verified"];

/** A refusal naming the field and the reason (400, or 409 when the target's state is the problem). */
export function refused(field: string, reason: string, message: string, status: 400 | 409 = 400): InvalidError | ConflictError {
  const details = { fields: [{ path: field, message: reason.replaceAll("_", " ") }], field, reason };
  return status === 400 ? new InvalidError(message, details) : new ConflictError(message, details);
}

const onPath = (c: Pick<Case, "unitPath">, unitId: string): boolean => c.unitPath.split("/").includes(unitId);

/** Why this department cannot own this case (undefined: it can). */
export function departmentProblem(refs: Refs, c: Pick<Case, "unitPath">, id: string): string | undefined {
  const d = refs.departments.get(id);
  if (!d) return "unknown_department";
  if (!d.active) return "inactive_department";
  if (d.unitIds.length && !d.unitIds.some((u) => onPath(c, u))) return "department_does_not_serve_this_unit";
  return undefined;
}

/** The department, when it exists, is active and serves the case's unit; else undefined. */
export function ownableDepartment(refs: Refs, c: Pick<Case, "unitPath">, id: string | undefined): string | undefined {
  return id !== undefined && !departmentProblem(refs, c, id) ? id : undefined;
}

/**
 * Check a dispatch target. Non-dispute cases go to departments only (only department staff can
 * start and handle them); disputes go to a department or to a mediating unit of their own path at
 * or above the current rung. Returns the rung for a unit target.
 */
export function checkDispatchTarget(refs: Refs, c: Case, to: Owner): { rung?: number } {
  if (to.kind === "department") {
    const problem = departmentProblem(refs, c, to.id);
    if (problem) throw refused("to.id", problem, `Department ${to.id} cannot take this case: ${problem.replaceAll("_", " ")}`);
    return {};
  }
  if (to.kind !== "unit") throw refused("to.kind", "not_an_owner_kind", "A case is dispatched to a department or a unit");
  const u = refs.units.get(to.id);
  if (!u) throw refused("to.id", "unknown_unit", `Unit ${to.id} does not exist`);
  if (!u.active) throw refused("to.id", "inactive_unit", `Unit ${to.id} is inactive`);
  if (!c.isDispute) {
    throw refused("to.kind", "only_departments_handle_this_case", "Only a department can handle a case that is not a dispute; units mediate disputes");
  }
  if (!onPath(c, to.id)) throw refused("to.id", "unit_not_on_the_case_path", `Unit ${to.id} is not on the path of the case's unit`);
  const rung = rungsOf(c.unitPath, to.id).find((r) => r >= c.counters.mediationLevel);
  if (rung === undefined) {
    const rungs = rungsOf(c.unitPath, to.id);
    throw refused("to.id", rungs.length ? "below_the_current_mediation_level" : "not_a_mediating_unit", `Unit ${to.id} cannot mediate this dispute at its level`);
  }
  return { rung };
}

/** A merge target is another open case the actor can see (so no chains or cycles: merged cases are terminal). */
export function checkMergeTarget(refs: Refs, c: Case, intoCaseId: string): void {
  if (intoCaseId === c.id) throw refused("intoCaseId", "same_case", "A case cannot be merged into itself");
  const t = refs.cases.get(intoCaseId);
  if (!t || !t.visible) throw refused("intoCaseId", "unknown_case", `Case ${intoCaseId} does not exist`);
  if (!OPEN.includes(t.state)) throw refused("intoCaseId", "target_not_open", `Case ${intoCaseId} is ${t.state}; merge into an open case`, 409);
}

/** The claiming actor's department must be able to own the case. */
export function checkClaimer(refs: Refs, c: Case, actor: Actor): void {
  const problem = actor.departmentId ? departmentProblem(refs, c, actor.departmentId) : "no_department";
  if (problem) throw refused("departmentId", problem, `Your department cannot take this case: ${problem.replaceAll("_", " ")}`);
}

/** Ids the service must load for an action (departments, units, cases). */
export function idsFor(c: Case, input: Record<string, unknown>, actor: Actor, rules: { responsibleDepartmentId?: string; candidateDepartments?: string[] }): { departments: string[]; units: string[]; cases: string[] } {
  const departments: string[] = [];
  const units: string[] = [];
  const cases: string[] = [];
  const to = input.to as { kind?: unknown; id?: unknown } | undefined;
  switch (input.action) {
    case "dispatch":
      if (to && typeof to.id === "string" && to.id.length <= 128) (to.kind === "unit" ? units : departments).push(to.id);
      break;
    case "merge":
      if (typeof input.intoCaseId === "string" && input.intoCaseId.length <= 128) cases.push(input.intoCaseId);
      break;
    case "claim":
      if (actor.departmentId) departments.push(actor.departmentId);
      break;
    case "accept":
    case "timeout":
      departments.push(...[rules.responsibleDepartmentId, c.responsibleDepartmentId].filter((x): x is string => !!x));
      departments.push(...(rules.candidateDepartments ?? []), ...c.candidateDepartments);
      break;
  }
  // a rework returns to the handler: it must still be able to own the case
  if (["verify", "evaluate"].includes(String(input.action)) && c.handler?.kind === "department") departments.push(c.handler.id);
  if (["verify", "evaluate"].includes(String(input.action)) && c.handler?.kind === "unit") units.push(c.handler.id);
  return { departments: [...new Set(departments)], units: [...new Set(units)], cases: [...new Set(cases)] };
}
