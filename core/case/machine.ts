import type { ActionName, Actor, Case, CaseState, RoleName } from "./schema.ts";
import { MEDIATION_LADDER } from "./schema.ts";

/**
 * The case lifecycle as data: one row per action, with the states it applies in, the states it can
 * lead to, who may do it, and its guards. `decide` looks rows up here; `allowedActions`,
 * the tests and docs/case-lifecycle.md are all derived from this table.
 */

/** A role name, or an actor kind for actors without roles (residents, timers, partner systems). */
export type Principal = RoleName | "resident" | "system" | "api_key";

/** A condition with the sentence that explains it (shown in docs and in refusals). */
export type Guard = { text: string; test: (c: Case, actor: Actor, now: Date) => boolean };

export type Transition = {
  action: ActionName;
  /** `null`: the action creates the case. */
  from: readonly CaseState[] | null;
  /** Possible results; `"same"` leaves the state unchanged. */
  to: readonly (CaseState | "same")[];
  who: readonly Principal[];
  /** On the case and time; failing it is a conflict (409). */
  when?: Guard;
  /** On the actor's relation to the case; failing it is forbidden (403). */
  may?: Guard;
  summary: string;
};

import { OPEN_STATES } from "./states.ts";
export { OPEN_STATES };
const ALL_STATES: readonly CaseState[] = [...OPEN_STATES, "closed", "rejected"];

const CENTER: readonly Principal[] = ["dispatcher", "street_staff", "community_staff"];
const GRID: readonly Principal[] = ["grid_worker", "grid_leader"];

/** Roles that mediate at each level of the ladder. */
export const MEDIATORS: Record<(typeof MEDIATION_LADDER)[number], readonly RoleName[]> = {
  grid: ["grid_worker", "grid_leader", "grid_instructor"],
  village_group: ["grid_leader", "community_staff"],
  community: ["community_staff"],
  township_center: ["street_staff"],
  county_center: ["dispatcher", "department_staff"],
};

// ------------------------------------------------------------ relations used by guards

export const isReporter = (c: Case, a: Actor): boolean => c.reporter.kind === a.kind && c.reporter.id === a.id;
const hasRole = (a: Actor, r: RoleName): boolean => a.kind === "user" && a.roles.includes(r);
const segments = (path: string): string[] => path.split("/").filter(Boolean);

/** The department or unit that owns the case counts this actor among its people. */
export function isOwnerActor(c: Case, a: Actor): boolean {
  if (c.owner.kind === "department") return hasRole(a, "department_staff") && a.departmentId === c.owner.id;
  if (c.owner.kind === "user") return a.id === c.owner.id;
  return a.unitPath !== undefined && segments(a.unitPath).at(-1) === c.owner.id;
}

/** The actor works in the case's unit (or a unit containing it). */
const inCaseUnit = (c: Case, a: Actor): boolean =>
  a.unitPath !== undefined && (c.unitPath === a.unitPath || c.unitPath.startsWith(a.unitPath.replace(/\/$/, "") + "/"));

/** A dispute out with a mediating unit or department (the ladder applies). */
export const isMediating = (c: Case): boolean => c.isDispute && (c.state === "dispatched" || c.state === "in_progress");

const timerDue = (c: Case, now: Date): boolean => c.timer !== undefined && Date.parse(c.timer.dueAt) <= now.getTime();
const lastLevel = MEDIATION_LADDER.length - 1;

// ------------------------------------------------------------ the table

export const TRANSITIONS: readonly Transition[] = [
  {
    action: "report",
    from: null,
    to: ["reported"],
    who: ["grid_worker", "grid_leader", "resident", "api_key", "dispatcher", "department_staff"],
    summary: "Create a case; the channel must match the reporter",
  },
  {
    action: "accept",
    from: ["reported"],
    to: ["accepted", "claimable", "dispatched"],
    who: CENTER,
    summary:
      "Register. Urgent → dispatched to the responsible department; dispute → dispatched to the grid for mediation; " +
      "claim window on and candidates → claimable; else accepted",
  },
  {
    action: "reject",
    from: ["reported", "accepted", "claimable"],
    to: ["rejected"],
    who: CENTER,
    summary: "Refuse as invalid, with a reason",
  },
  {
    action: "merge",
    from: ["reported", "accepted", "claimable"],
    to: ["rejected"],
    who: CENTER,
    summary: "Reject as a duplicate of another case (mergedInto)",
  },
  {
    action: "resolve",
    from: ["reported", "accepted"],
    to: ["closed"],
    who: GRID,
    may: { text: "the grid worker who reported it", test: (c, a) => a.kind === "user" && isReporter(c, a) },
    summary: "Fixed on the spot with photos; closed and verified by the reporter (小事不出格)",
  },
  {
    action: "claim",
    from: ["claimable"],
    to: ["dispatched"],
    who: ["department_staff"],
    when: {
      text: "the claim window is open",
      test: (c, _a, now) => c.deadlines.claim !== undefined && now.getTime() < Date.parse(c.deadlines.claim),
    },
    may: {
      text: "a candidate department",
      test: (c, a) => a.departmentId !== undefined && c.candidateDepartments.includes(a.departmentId),
    },
    summary: "A candidate department takes the case in the window and earns claim points",
  },
  {
    action: "dispatch",
    from: ["accepted", "claimable"],
    to: ["dispatched"],
    who: ["dispatcher", "street_staff"],
    summary:
      "Send to a department (any case) or to a mediating unit on the case's path (disputes), with a reason; " +
      "the target must exist, be active and able to own the case (else 400)",
  },
  {
    action: "dispatch",
    from: ["dispatched", "in_progress"],
    to: ["dispatched", "same"],
    who: ["dispatcher"],
    summary: "Reassign (改派): the center takes the case from its owner and sends it to another valid owner",
  },
  {
    action: "transfer",
    from: ["dispatched", "in_progress"],
    to: ["accepted"],
    who: ["department_staff", "dispatcher"],
    may: { text: "the owning department, or the center recalling it", test: (c, a) => isOwnerActor(c, a) || hasRole(a, "dispatcher") },
    summary: "Not ours: back to the center for re-dispatch, with a reason (the center may recall any dispatched case)",
  },
  {
    action: "start",
    from: ["dispatched"],
    to: ["in_progress"],
    who: ["department_staff"],
    may: { text: "the owning department", test: isOwnerActor },
    summary: "Work begins (the handling deadline runs on)",
  },
  {
    action: "handle",
    from: ["dispatched", "in_progress"],
    to: ["handled"],
    who: ["department_staff"],
    may: { text: "the owning department", test: isOwnerActor },
    summary: "Report done with feedback and photos",
  },
  {
    action: "verify",
    from: ["handled"],
    to: ["verified", "dispatched", "accepted"],
    who: [...GRID, "dispatcher"],
    may: { text: "the grid of the case (or the center on its behalf)", test: inCaseUnit },
    summary: "On-site check: pass → verified; fail → rework by the same handler (to the center when that handler can no longer own it)",
  },
  {
    action: "evaluate",
    from: ["verified"],
    to: ["closed", "dispatched", "accepted"],
    who: ["resident", "grid_worker", "grid_leader", "api_key", "dispatcher"],
    may: { text: "the reporter, or the center on their behalf", test: (c, a) => hasRole(a, "dispatcher") || isReporter(c, a) },
    summary: "Five levels; average or better → closed; dissatisfied → rework (second failure → supervised)",
  },
  {
    action: "mediate",
    from: ["dispatched", "in_progress"],
    to: ["handled", "same"],
    who: ["grid_worker", "grid_leader", "grid_instructor", "community_staff", "street_staff", "dispatcher", "department_staff"],
    when: { text: "a dispute case", test: (c) => c.isDispute },
    may: {
      text: "a mediator of the current ladder level",
      test: (c, a) => MEDIATORS[MEDIATION_LADDER[c.counters.mediationLevel]].some((r) => hasRole(a, r)),
    },
    summary: "Record a mediation: resolved → handled; 2 failures at a level → next level (county: supervised)",
  },
  {
    action: "escalate",
    from: ["accepted", "dispatched", "in_progress"],
    to: ["same"],
    who: ["dispatcher", "supervisor", "street_staff", "community_staff", "grid_leader", "grid_instructor"],
    when: {
      text: "not a dispute already mediated at the county center",
      test: (c) => !isMediating(c) || c.counters.mediationLevel < lastLevel,
    },
    summary: "Dispute under mediation: next level of the ladder; otherwise the owner moves up one unit level",
  },
  {
    action: "supervise",
    from: OPEN_STATES,
    to: ["same"],
    who: ["supervisor"],
    when: { text: "not supervised yet", test: (c) => !c.flags.supervised },
    summary: "The efficiency office takes it under supervision (督办)",
  },
  {
    action: "extend_request",
    from: ["dispatched", "in_progress"],
    to: ["same"],
    who: ["department_staff"],
    when: { text: "no request pending, not deferred", test: (c) => !c.pendingExtension && !c.flags.deferred },
    may: { text: "the owning department", test: isOwnerActor },
    summary: "Ask for more time, with hours and a reason",
  },
  {
    action: "extend_approve",
    from: ["dispatched", "in_progress"],
    to: ["same"],
    who: ["dispatcher"],
    when: { text: "a request is pending, not deferred", test: (c) => !!c.pendingExtension && !c.flags.deferred },
    summary: "Grant the extension: the deadline moves by the hours asked",
  },
  {
    action: "extend_refuse",
    from: ["dispatched", "in_progress"],
    to: ["same"],
    who: ["dispatcher"],
    when: { text: "a request is pending", test: (c) => !!c.pendingExtension },
    summary: "Refuse the extension, with a reason",
  },
  {
    action: "defer",
    from: ["accepted", "dispatched", "in_progress"],
    to: ["same"],
    who: ["dispatcher"],
    summary: "Park until a review date, which becomes the deadline",
  },
  {
    action: "close",
    from: ["verified"],
    to: ["closed"],
    who: ["dispatcher"],
    summary: "Close a verified case without waiting for the evaluation",
  },
  {
    action: "reopen",
    from: ["closed"],
    to: ["accepted"],
    who: ["grid_worker", "grid_leader", "resident", "dispatcher"],
    when: {
      text: "within the reopen period",
      test: (c, _a, now) => c.deadlines.reopen !== undefined && now.getTime() < Date.parse(c.deadlines.reopen),
    },
    may: { text: "the reporter, or the center", test: (c, a) => hasRole(a, "dispatcher") || isReporter(c, a) },
    summary: "The problem is back: to the center for re-dispatch",
  },
  {
    action: "comment",
    from: ALL_STATES,
    to: ["same"],
    who: [
      "county_admin",
      "dispatcher",
      "supervisor",
      "street_staff",
      "community_staff",
      "grid_leader",
      "grid_worker",
      "grid_instructor",
      "department_staff",
      "resident",
      "api_key",
    ],
    may: { text: "residents only on their own cases", test: (c, a) => a.kind !== "resident" || isReporter(c, a) },
    summary: "Add a note or photos to the timeline",
  },
  {
    action: "timeout",
    from: ["claimable"],
    to: ["dispatched", "accepted"],
    who: ["system"],
    when: { text: "the active timer is due", test: (c, _a, now) => timerDue(c, now) },
    summary: "Claim window over: auto-dispatch to the responsible department (none configured → accepted)",
  },
  {
    action: "timeout",
    from: ["reported", "accepted", "dispatched", "in_progress", "handled"],
    to: ["same"],
    who: ["system"],
    when: { text: "the active timer is due", test: (c, _a, now) => timerDue(c, now) },
    summary:
      "Stage deadline → overdue, the owner's superior told; left hanging → supervised (then reminders); " +
      "review date of a deferred case → resume with a fresh deadline",
  },
  {
    action: "timeout",
    from: ["verified"],
    to: ["closed"],
    who: ["system"],
    when: { text: "the active timer is due", test: (c, _a, now) => timerDue(c, now) },
    summary: "Nobody evaluated in time: default evaluation, closed",
  },
];

/** Index: state → action → row. `null` key: creation. */
export function ruleFor(state: CaseState | null, action: ActionName): Transition | undefined {
  return TRANSITIONS.find((t) => t.action === action && (state === null ? t.from === null : t.from?.includes(state)));
}

export function actorMatches(who: readonly Principal[], a: Actor): boolean {
  if (a.kind !== "user" && who.includes(a.kind)) return true;
  // residents and timers act as themselves only; users and api keys through their roles
  if (a.kind === "resident" || a.kind === "system") return false;
  return a.roles.some((r) => who.includes(r));
}

/** The actions this actor may perform on this case now (the server returns it on every read). */
export function allowedActions(c: Case, actor: Actor, now: Date): ActionName[] {
  return TRANSITIONS.filter(
    (t) =>
      t.from?.includes(c.state) &&
      actorMatches(t.who, actor) &&
      (!t.when || t.when.test(c, actor, now)) &&
      (!t.may || t.may.test(c, actor, now)),
  ).map((t) => t.action);
}

/** Terminal states only take these (the table must agree; a test checks it). */
export const TERMINAL_ACTIONS: readonly ActionName[] = ["reopen", "comment"];
