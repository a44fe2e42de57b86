/**
 * The open work of a staff member (人走机留, docs/setup.md "Staff changes"): what deactivating them, or
 * taking grid roles from them, would strand, and the 409 that refuses it until a handover
 * (core/user/handover.ts) moved it. Apart from the handover job so that a user update (the users
 * routes, a staff import's runner) loads only this check (issue #15).
 */
import type { Assignment } from "../auth/principal.ts";
import type { RoleName } from "../auth/roles.ts";
import { ConflictError } from "../errors.ts";
import { staffLookup } from "../duty/staff.ts";
import { pendingTaskUnitsOf } from "../duty/repo-handover.ts";
import { householdCount, openCasesOwned } from "./repo-handover.ts";
import type { UserItem } from "./schema.ts";

/** Roles whose holder does grid work that must not be stranded (patrol, visit, verify, mediate, complete tasks). */
export const WORK_ROLES: readonly RoleName[] = ["grid_worker", "grid_leader", "grid_instructor", "community_staff", "street_staff"];

/**
 * Work that deactivating `u` would strand: pending task grids assigned to them, open cases they
 * own, and grids with households where they are the only grid worker (nobody else would visit).
 * With `kept` (a change of roles, the user stays active): only the work on units none of the kept
 * grid roles covers.
 */
export async function openWorkOf(u: UserItem, kept?: Assignment[]): Promise<{ assignments: number; taskUnits: number; cases: number; units: string[] }> {
  const staff = staffLookup();
  const keptWork = (kept ?? []).filter((a) => WORK_ROLES.includes(a.role));
  const covered = (path: string) => keptWork.some((a) => path.startsWith(a.unitPath));
  const units: string[] = [];
  for (const a of u.assignments) {
    if (a.role !== "grid_worker" || keptWork.some((k) => k.role === "grid_worker" && k.unitId === a.unitId)) continue;
    const others = (await staff.onUnit(a.unitId)).filter((r) => r.role === "grid_worker" && r.userId !== u.id);
    if (!others.length && (await householdCount(a.unitPath)) > 0) units.push(a.unitId);
  }
  const tasks = (await pendingTaskUnitsOf(u.id)).filter((t) => !kept || !covered(t.unitPath));
  const cases = kept ? 0 : await openCasesOwned("user", u.id);
  return { assignments: units.length, taskUnits: tasks.length, cases, units };
}

/**
 * Refuse (409) a deactivation — or, with `kept`, a change of roles — that would strand work,
 * naming what is open and pointing to the handover.
 */
export async function refuseIfOpenWork(u: UserItem, kept?: Assignment[]): Promise<void> {
  const open = await openWorkOf(u, kept);
  if (open.assignments + open.taskUnits + open.cases === 0) return;
  const parts = [open.assignments && `${open.assignments} grid(s) with households and no other grid worker`, open.taskUnits && `${open.taskUnits} pending task grid(s)`, open.cases && `${open.cases} open case(s)`].filter(Boolean);
  const field = kept ? "assignments" : "active";
  throw new ConflictError(`${u.username} still holds open work (${parts.join(", ")}); hand it over first: POST /v1/users/${u.id}/handover`, {
    fields: [{ path: field, message: "open work" }],
    field,
    reason: "open_work",
    open: { assignments: open.assignments, taskUnits: open.taskUnits, cases: open.cases, unitIds: open.units },
    handover: `/v1/users/${u.id}/handover`,
  });
}
