import { ConflictError, ForbiddenError, InvalidError } from "../errors.ts";
import { parse } from "../validate.ts";
import { actorMatches, allowedActions, isMediating, isReporter, ruleFor } from "./machine.ts";
import { ladderUnit } from "./ladder.ts";
import { checkClaimer, checkDispatchTarget, checkMergeTarget, ownableDepartment, refused, type RefCheck } from "./refs.ts";
import {
  ActionInput,
  CaseRules,
  MEDIATION_LADDER,
  PASSING_LEVELS,
  type Actor,
  type ActorRef,
  type Case,
  type CaseEvent,
  type CaseState,
  type Channel,
  type DeadlineStage,
  type Decision,
  type DecideConfig,
  type EventType,
  type Notify,
  type Owner,
  type RoleName,
  type Timer,
  type TimerChanges,
} from "./schema.ts";

/**
 * The one writer of case state: `decide(case, action, actor, now, config)` checks the action against
 * the table in machine.ts and returns the next case, the timeline events and the timer changes.
 * Pure: no I/O, no clock; the caller persists the result in one conditional transaction.
 */

/** The deadline stage of each open state; its timer is the case's one active timer. */
export const STAGE_OF: Record<CaseState, DeadlineStage | null> = {
  reported: "accept",
  accepted: "dispatch",
  claimable: "claim",
  dispatched: "handle",
  in_progress: "handle",
  handled: "verify",
  verified: "evaluate",
  closed: null,
  rejected: null,
};

/** Channels each kind of reporter may use. */
const CHANNELS_OF: Partial<Record<RoleName | "resident" | "api_key", readonly Channel[]>> = {
  resident: ["resident"],
  api_key: ["hotline", "partner", "police"],
  grid_worker: ["grid_worker"],
  grid_leader: ["grid_worker"],
  dispatcher: ["hotline", "police", "partner"],
  department_staff: ["department"],
};

type Ctx = {
  prev: Case | null;
  next: Case;
  actor: Actor;
  now: Date;
  at: string;
  rules: CaseRules;
  config: DecideConfig;
  events: Omit<CaseEvent, "from" | "to" | "version" | "seq" | "actor" | "at" | "action">[];
  /** Start the current stage's deadline afresh even if the state does not change. */
  restart: boolean;
  /** References the commit re-asserts (core/case/refs.ts). */
  checks: RefCheck[];
};

export function decide(c: Case | null, input: unknown, actor: Actor, now: Date, config: DecideConfig): Decision {
  const a = parse(ActionInput, input, "action");
  const state = c?.state ?? null;
  const rule = (a.action === "report") === (c === null) ? ruleFor(state, a.action) : undefined;
  if (!rule) {
    throw new ConflictError(`Cannot ${a.action} a case in state ${state ?? "(none)"}`, {
      state,
      allowedActions: c ? allowedActions(c, actor, now) : [],
    });
  }
  if (!actorMatches(rule.who, actor)) {
    throw new ForbiddenError(`You may not ${a.action} cases`, { action: a.action, allowed: rule.who });
  }
  if (c && rule.when && !rule.when.test(c, actor, now)) {
    throw new ConflictError(`Cannot ${a.action} now: requires ${rule.when.text}`, {
      state,
      allowedActions: allowedActions(c, actor, now),
      requires: rule.when.text,
    });
  }
  if (c && rule.may && !rule.may.test(c, actor, now)) {
    throw new ForbiddenError(`Only ${rule.may.text} may ${a.action} this case`, { action: a.action, requires: rule.may.text });
  }

  const ctx: Ctx = {
    prev: c,
    next: c ? structuredClone(c) : (undefined as unknown as Case),
    actor,
    now,
    at: now.toISOString(),
    rules: CaseRules.parse(config),
    config,
    events: [],
    restart: false,
    checks: [],
  };
  apply(ctx, a);
  const decision = finish(ctx, a.action);
  if (!rule.to.includes(decision.next.state === state ? "same" : decision.next.state)) {
    throw new Error(`machine table does not allow ${a.action}: ${state} → ${decision.next.state}`);
  }
  return decision;
}

// ------------------------------------------------------------------ effects

function apply(ctx: Ctx, a: ActionInput): void {
  const { next, actor, rules, at } = ctx;
  const c = ctx.prev as Case; // every action but report has a case (checked above)
  switch (a.action) {
    case "report": {
      const allowed = new Set([actor.kind, ...actor.roles].flatMap((p) => CHANNELS_OF[p as keyof typeof CHANNELS_OF] ?? []));
      if (!allowed.has(a.channel)) {
        throw new ForbiddenError(`You may not report through the ${a.channel} channel`, { channel: a.channel });
      }
      if (a.channel === "police" && rules.policeCategory) {
        throw new InvalidError("A police matter stays with the police", { categoryId: a.categoryId });
      }
      const origin = a.channel === "police" ? { channel: a.channel, ...a.origin, diverted: true } : a.origin ? { channel: a.channel, ...a.origin } : undefined;
      ctx.next = {
        id: a.id,
        number: a.number,
        categoryId: a.categoryId,
        isDispute: a.isDispute,
        urgent: a.urgent,
        description: a.description,
        location: a.location,
        unitId: a.unitId,
        unitPath: a.unitPath,
        channel: a.channel,
        reporter: { kind: actor.kind as "user" | "resident" | "api_key", id: actor.id },
        ...(origin ? { origin } : {}),
        state: "reported",
        flags: { returned: false, supervised: false, escalated: false, overdue: false, deferred: false },
        owner: centerOf(a.unitPath),
        candidateDepartments: [...rules.candidateDepartments],
        ...(rules.responsibleDepartmentId ? { responsibleDepartmentId: rules.responsibleDepartmentId } : {}),
        deadlines: {},
        counters: { rework: 0, transfers: 0, reopens: 0, mediationLevel: 0, mediationAttempts: 0 },
        version: 0,
        createdAt: at,
        updatedAt: at,
      };
      emit(ctx, "reported", { note: a.description, attachments: a.attachments, data: { channel: a.channel, notify: [role("dispatcher")] } });
      return;
    }
    case "accept": {
      const dept = responsible(ctx);
      if (c.urgent && !dept) {
        // urgent but nobody is responsible for the category: the center must dispatch by hand, now
        next.state = "accepted";
        emit(ctx, "accepted", { note: a.note, data: { urgent: true, notify: [role("dispatcher")] } });
        return;
      }
      emit(ctx, "accepted", { note: a.note });
      if (c.urgent && dept) {
        ctx.checks.push({ kind: "department", id: dept });
        assign(ctx, { kind: "department", id: dept });
        emit(ctx, "dispatched", { data: { to: next.owner, urgent: true, notify: [owner(next.owner)] } });
      } else if (c.isDispute) {
        next.counters.mediationLevel = 0;
        next.counters.mediationAttempts = 0;
        assign(ctx, mediationOwner(c, 0));
        emit(ctx, "dispatched", { data: { to: next.owner, mediation: MEDIATION_LADDER[0], notify: [owner(next.owner)] } });
      } else if (rules.claimWindow && candidates(ctx).length > 0) {
        // only departments that can own the case are offered it (and may claim it)
        next.state = "claimable";
        next.candidateDepartments = candidates(ctx);
        emit(ctx, "claim_opened", { data: { notify: [{ kind: "departments", ids: next.candidateDepartments }] } });
      } else {
        next.state = "accepted";
      }
      return;
    }
    case "reject":
      next.state = "rejected";
      next.rejection = { reason: a.reason };
      emit(ctx, "rejected", { note: a.reason, data: { notify: [reporter(c)] } });
      return;
    case "merge":
      checkMergeTarget(ctx.config.refs, c, a.intoCaseId);
      ctx.checks.push({ kind: "case", id: a.intoCaseId, field: "intoCaseId" });
      next.state = "rejected";
      next.rejection = { reason: a.note ?? "duplicate", mergedInto: a.intoCaseId };
      emit(ctx, "merged", { note: a.note, data: { mergedInto: a.intoCaseId, notify: [reporter(c)] } });
      return;
    case "resolve":
      next.owner = { kind: "user", id: actor.id };
      next.handler = next.owner;
      close(ctx);
      emit(ctx, "resolved", { note: a.note, attachments: a.attachments, data: { onTheSpot: true, verifiedBy: ref(actor) } });
      return;
    case "claim": {
      checkClaimer(ctx.config.refs, c, actor);
      ctx.checks.push({ kind: "department", id: actor.departmentId as string, field: "departmentId" });
      assign(ctx, { kind: "department", id: actor.departmentId as string });
      emit(ctx, "claimed", { note: a.note, data: { departmentId: actor.departmentId, points: rules.claimPoints } });
      return;
    }
    case "dispatch": {
      const { rung } = checkDispatchTarget(ctx.config.refs, c, a.to);
      if (c.owner.kind === a.to.kind && c.owner.id === a.to.id && c.state !== "accepted" && c.state !== "claimable") {
        throw refused("to.id", "already_the_owner", "The case is already with this owner", 409);
      }
      ctx.checks.push({ kind: a.to.kind, id: a.to.id, field: "to.id" });
      if (rung !== undefined) {
        next.counters.mediationLevel = rung;
        next.counters.mediationAttempts = 0;
      }
      // a reassignment (改派) starts a fresh handling deadline for the new owner
      if (c.state === "dispatched" || c.state === "in_progress") {
        ctx.restart = true;
        delete next.pendingExtension;
      }
      assign(ctx, a.to);
      emit(ctx, "dispatched", { note: a.reason, data: { to: a.to, ...(c.state !== "accepted" && c.state !== "claimable" ? { from: c.owner, reassigned: true } : {}), ...(rung !== undefined ? { mediation: MEDIATION_LADDER[rung] } : {}), notify: [owner(a.to)] } });
      return;
    }
    case "transfer":
      next.state = "accepted";
      next.owner = centerOf(c.unitPath);
      next.counters.transfers += 1;
      emit(ctx, "transferred", {
        note: a.reason,
        data: { from: c.owner, transfers: next.counters.transfers, notify: [role("dispatcher")] },
      });
      return;
    case "start":
      next.state = "in_progress";
      emit(ctx, "started", { note: a.note });
      return;
    case "handle":
      toVerification(ctx);
      emit(ctx, "handled", { note: a.note, attachments: a.attachments, data: { notify: [owner(next.owner)] } });
      return;
    case "verify":
      if (a.pass) {
        next.state = "verified";
        next.owner = centerOf(c.unitPath);
        emit(ctx, "verified", { note: a.note, attachments: a.attachments, data: { notify: [reporter(c)] } });
      } else {
        emit(ctx, "verify_failed", { note: a.note, attachments: a.attachments });
        returnForRework(ctx, "verification failed");
      }
      return;
    case "evaluate":
      next.evaluation = {
        level: a.level,
        ...(a.comment ? { comment: a.comment } : {}),
        by: ref(actor),
        at,
        byDefault: false,
      };
      emit(ctx, "evaluated", { note: a.comment, data: { level: a.level, onBehalf: !isReporter(c, actor) } });
      if (PASSING_LEVELS.includes(a.level)) close(ctx);
      else returnForRework(ctx, `evaluated ${a.level}`);
      return;
    case "mediate":
      mediate(ctx, a.outcome, a.note, a.attachments);
      return;
    case "escalate":
      if (isMediating(c)) climb(ctx, a.reason);
      else escalateOwner(ctx, a.reason);
      return;
    case "supervise":
      next.flags.supervised = true;
      emit(ctx, "supervised", { note: a.reason, data: { notify: [owner(c.owner)] } });
      return;
    case "extend_request":
      next.pendingExtension = { hours: a.hours, reason: a.reason, by: ref(actor), at };
      emit(ctx, "extension_requested", { note: a.reason, data: { hours: a.hours, notify: [role("dispatcher")] } });
      return;
    case "extend_approve": {
      const { hours } = c.pendingExtension!;
      const stage = STAGE_OF[c.state] as DeadlineStage;
      // an extension is working time on the calendar (Friday 16:00 + 4 h = Monday 11:00, not Friday 20:00)
      const base = new Date(c.dueAt ?? at);
      const due = (ctx.config.addWorkingHours?.(base, hours) ?? new Date(base.getTime() + hours * 3_600_000)).toISOString();
      next.deadlines[stage] = due;
      next.dueAt = due;
      next.timer = { stage, dueAt: due };
      if (Date.parse(due) > ctx.now.getTime()) next.flags.overdue = false;
      delete next.pendingExtension;
      emit(ctx, "extension_approved", { note: a.note, data: { hours, dueAt: due, notify: [owner(c.owner)] } });
      return;
    }
    case "extend_refuse":
      delete next.pendingExtension;
      emit(ctx, "extension_refused", { note: a.reason, data: { notify: [owner(c.owner)] } });
      return;
    case "defer":
      if (Date.parse(a.reviewAt) <= ctx.now.getTime()) {
        throw new InvalidError("The review date must be in the future", { reviewAt: a.reviewAt });
      }
      next.flags.deferred = true;
      next.deadlines.review = a.reviewAt;
      next.dueAt = a.reviewAt;
      next.timer = { stage: "review", dueAt: a.reviewAt };
      emit(ctx, "deferred", { note: a.reason, data: { reviewAt: a.reviewAt } });
      return;
    case "close":
      close(ctx);
      emit(ctx, "closed", { note: a.note, data: { notify: [reporter(c)] } });
      return;
    case "reopen":
      next.state = "accepted";
      next.owner = centerOf(c.unitPath);
      next.counters.reopens += 1;
      next.flags.returned = false;
      delete next.closedAt;
      delete next.evaluation;
      emit(ctx, "reopened", { note: a.reason, data: { reopens: next.counters.reopens, notify: [role("dispatcher")] } });
      return;
    case "comment":
      emit(ctx, "commented", { note: a.note, attachments: a.attachments });
      return;
    case "timeout":
      timeout(ctx, a.stage, a.dueAt);
      return;
  }
}

function timeout(ctx: Ctx, stage: Timer["stage"], dueAt: string | undefined): void {
  const c = ctx.prev as Case;
  const { next } = ctx;
  const timer = c.timer as Timer; // the table's guard: a due timer exists
  if (timer.stage !== stage || (dueAt !== undefined && dueAt !== timer.dueAt)) {
    throw new ConflictError("Stale timer", { state: c.state, timer });
  }
  switch (stage) {
    case "claim": {
      const dept = responsible(ctx);
      if (dept) {
        ctx.checks.push({ kind: "department", id: dept });
        assign(ctx, { kind: "department", id: dept });
        emit(ctx, "claim_expired", { data: { autoDispatched: true } });
        emit(ctx, "dispatched", { data: { to: next.owner, auto: true, notify: [owner(next.owner)] } });
      } else {
        next.state = "accepted";
        emit(ctx, "claim_expired", { data: { autoDispatched: false, notify: [role("dispatcher")] } });
      }
      return;
    }
    case "evaluate":
      next.evaluation = { level: ctx.rules.defaultEvaluation, by: ref(ctx.actor), at: ctx.at, byDefault: true };
      emit(ctx, "evaluated", { data: { level: ctx.rules.defaultEvaluation, byDefault: true } });
      close(ctx);
      return;
    case "hang":
      if (c.flags.supervised) {
        emit(ctx, "supervision_reminder", { data: { notify: [role("supervisor"), owner(c.owner)] } });
      } else {
        next.flags.supervised = true;
        emit(ctx, "supervised", { data: { reason: "hanging", notify: [role("supervisor"), owner(c.owner)] } });
      }
      next.timer = hangTimer(ctx);
      return;
    case "review":
      next.flags.deferred = false;
      ctx.restart = true;
      emit(ctx, "resumed", { data: { notify: [owner(c.owner)] } });
      return;
    default: // accept, dispatch, handle, verify
      next.flags.overdue = true;
      next.timer = hangTimer(ctx);
      emit(ctx, "overdue", {
        data: { stage, dueAt: timer.dueAt, owner: c.owner, notify: [{ kind: "owner", owner: c.owner, superior: true }] },
      });
  }
}

function mediate(ctx: Ctx, outcome: "resolved" | "failed", note: string, attachments: CaseEvent["attachments"]): void {
  const { next } = ctx;
  const level = MEDIATION_LADDER[next.counters.mediationLevel];
  if (outcome === "resolved") {
    toVerification(ctx);
    emit(ctx, "mediated", { note, attachments, data: { outcome, level, notify: [owner(next.owner)] } });
    return;
  }
  next.counters.mediationAttempts += 1;
  emit(ctx, "mediated", { note, attachments, data: { outcome, level, attempts: next.counters.mediationAttempts } });
  if (next.counters.mediationAttempts < 2) return;
  if (next.counters.mediationLevel < MEDIATION_LADDER.length - 1) {
    climb(ctx, `${next.counters.mediationAttempts} failed mediations at ${level}`);
  } else {
    next.flags.supervised = true;
    emit(ctx, "supervised", { data: { reason: "mediation failed at the county center", notify: [role("supervisor")] } });
  }
}

// ------------------------------------------------------------------ helpers

/** Up one rung of the mediation ladder: new mediating unit, fresh deadline, attempts reset. */
function climb(ctx: Ctx, reason: string): void {
  const { next } = ctx;
  const from = next.owner;
  next.counters.mediationLevel += 1;
  next.counters.mediationAttempts = 0;
  next.flags.escalated = true;
  next.owner = mediationOwner(next, next.counters.mediationLevel);
  next.handler = next.owner;
  ctx.restart = true;
  emit(ctx, "escalated", {
    note: reason,
    data: { level: MEDIATION_LADDER[next.counters.mediationLevel], from, to: next.owner, notify: [owner(next.owner)] },
  });
}

/** Not a mediation: the owning unit's parent takes over; a department's superiors are told. */
function escalateOwner(ctx: Ctx, reason: string): void {
  const { next } = ctx;
  const from = next.owner;
  const path = segments(next.unitPath);
  const i = from.kind === "unit" ? path.indexOf(from.id) : -1;
  next.flags.escalated = true;
  if (i > 0) {
    next.owner = { kind: "unit", id: path[i - 1] };
    if (next.state !== "accepted") next.handler = next.owner;
    emit(ctx, "escalated", { note: reason, data: { from, to: next.owner, notify: [owner(next.owner)] } });
  } else {
    emit(ctx, "escalated", { note: reason, data: { from, to: from, notify: [{ kind: "owner", owner: from, superior: true }] } });
  }
}

/** Same handler again: dispatched with the returned flag; a second failure goes to supervision. */
function returnForRework(ctx: Ctx, why: string): void {
  const c = ctx.prev as Case;
  const { next } = ctx;
  if (!c.handler) throw new ConflictError("The case has no handler to return it to", { state: c.state });
  if (!canStillOwn(ctx, c.handler)) {
    // the handler was deactivated meanwhile: the center re-dispatches (never strand the case)
    next.state = "accepted";
    next.owner = centerOf(c.unitPath);
    next.flags.returned = true;
    next.counters.rework += 1;
    emit(ctx, "returned", { note: why, data: { rework: next.counters.rework, to: next.owner, handlerGone: c.handler, notify: [role("dispatcher")] } });
    return;
  }
  ctx.checks.push({ kind: c.handler.kind === "department" ? "department" : "unit", id: c.handler.id });
  next.state = "dispatched";
  next.owner = c.handler;
  next.flags.returned = true;
  next.counters.rework += 1;
  emit(ctx, "returned", { note: why, data: { rework: next.counters.rework, to: c.handler, notify: [owner(c.handler)] } });
  if (c.counters.rework >= 1) {
    next.flags.supervised = true;
    emit(ctx, "supervised", {
      data: { reason: "failed again after rework", rework: next.counters.rework, notify: [role("supervisor"), owner(c.handler)] },
    });
  }
}

/** Done by the handler: the grid of the case verifies it. */
function toVerification(ctx: Ctx): void {
  ctx.next.state = "handled";
  ctx.next.owner = { kind: "unit", id: ctx.next.unitId };
  ctx.next.flags.returned = false;
}

function assign(ctx: Ctx, to: Owner): void {
  ctx.next.state = "dispatched";
  ctx.next.owner = { kind: to.kind, id: to.id };
  ctx.next.handler = ctx.next.owner;
}

function close(ctx: Ctx): void {
  const { next, rules, now } = ctx;
  next.state = "closed";
  next.closedAt = ctx.at;
  next.deadlines.reopen = new Date(now.getTime() + rules.reopenWithinDays * 86_400_000).toISOString();
}

/** The responsible department, if it can own the case (else the center keeps it). */
function responsible(ctx: Ctx): string | undefined {
  const c = ctx.prev as Case;
  return ownableDepartment(ctx.config.refs, c, ctx.rules.responsibleDepartmentId ?? c.responsibleDepartmentId);
}

/** Candidate departments of the claim window that can own the case. */
function candidates(ctx: Ctx): string[] {
  const c = ctx.prev as Case;
  return c.candidateDepartments.filter((d) => ownableDepartment(ctx.config.refs, c, d) !== undefined);
}

/** Can a former handler take the case back for rework? */
function canStillOwn(ctx: Ctx, h: Owner): boolean {
  const c = ctx.prev as Case;
  if (h.kind === "department") return ownableDepartment(ctx.config.refs, c, h.id) !== undefined;
  if (h.kind === "unit") return ctx.config.refs.units.get(h.id)?.active === true;
  return false;
}

function hangTimer(ctx: Ctx): Timer {
  // supervision reminders run on working days: one due on a weekend or holiday waits for the next working moment
  const hours = ctx.rules.superviseAfterHours;
  return { stage: "hang", dueAt: (ctx.config.reminderAt?.(ctx.now, hours) ?? new Date(ctx.now.getTime() + hours * 3_600_000)).toISOString() };
}

function enterStage(ctx: Ctx, stage: DeadlineStage): void {
  const due = ctx.config.deadlineFor(stage, ctx.now);
  if (!(due instanceof Date) || Number.isNaN(due.getTime())) throw new Error(`deadlineFor(${stage}) returned no date`);
  const dueAt = due.toISOString();
  ctx.next.deadlines[stage] = dueAt;
  ctx.next.dueAt = dueAt;
  ctx.next.timer = { stage, dueAt };
  ctx.next.flags.overdue = false;
  ctx.next.flags.deferred = false;
}

function finish(ctx: Ctx, action: ActionInput["action"]): Decision {
  const { prev, next } = ctx;
  next.version = (prev?.version ?? 0) + 1;
  next.updatedAt = ctx.at;
  if (prev?.state !== next.state) delete next.pendingExtension;
  const stage = STAGE_OF[next.state];
  if (stage === null) {
    delete next.timer;
    delete next.dueAt;
    next.flags.overdue = false;
    next.flags.deferred = false;
    next.flags.returned = false;
  } else if (ctx.restart || (prev?.state !== next.state && (prev ? STAGE_OF[prev.state] : null) !== stage)) {
    enterStage(ctx, stage);
  }
  const events: CaseEvent[] = ctx.events.map((e, seq) => ({
    type: e.type,
    action,
    from: prev?.state ?? null,
    to: next.state,
    actor: ref(ctx.actor),
    at: ctx.at,
    version: next.version,
    seq,
    ...(e.note ? { note: e.note } : {}),
    ...(e.attachments?.length ? { attachments: e.attachments } : {}),
    ...(e.data ? { data: e.data } : {}),
  }));
  const seen = new Set<string>();
  const checks: RefCheck[] = ctx.checks.filter((k) => !seen.has(k.kind + "#" + k.id) && seen.add(k.kind + "#" + k.id));
  return { next, events, timers: timerChanges(prev?.timer, next.timer), checks };
}

/** The rows to write so that exactly `next` is active. */
export function timerChanges(prev: Timer | undefined, next: Timer | undefined): TimerChanges {
  const same = prev && next && prev.stage === next.stage && prev.dueAt === next.dueAt;
  return {
    set: next && !same ? [next] : [],
    clear: prev && (!next || next.stage !== prev.stage) ? [prev.stage] : [],
  };
}

type EventBody = { note?: string; attachments?: CaseEvent["attachments"]; data?: Record<string, unknown> };
function emit(ctx: Ctx, type: EventType, body: EventBody = {}): void {
  ctx.events.push({ type, ...body });
}

const segments = (path: string): string[] => path.split("/").filter(Boolean);
/** The command center's unit: the root of the case's path (the county). */
const centerOf = (unitPath: string): Owner => ({ kind: "unit", id: segments(unitPath)[0] });
const ref = (a: Actor): ActorRef => ({ kind: a.kind, id: a.id });
const role = (r: RoleName): Notify => ({ kind: "role", role: r });
const owner = (o: Owner): Notify => ({ kind: "owner", owner: o });
const reporter = (c: Case): Notify => ({ kind: "reporter", reporter: c.reporter });

/** The unit mediating at a ladder level: resolved by level from the case's path (core/case/ladder.ts). */
function mediationOwner(c: Case, level: number): Owner {
  return { kind: "unit", id: ladderUnit(c.unitPath, level) };
}
