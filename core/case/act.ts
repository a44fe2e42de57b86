import * as z from "zod/mini";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, UnavailableError } from "../errors.ts";
import type { Principal } from "../auth/principal.ts";
import { getUnits } from "../unit/repo.ts";
import { cachedDepartments, forgetCachedDepartments } from "../department/repo.ts";
import { publishEvents } from "../outbox/publish.ts";
import { parse } from "../validate.ts";
import { confirmAttachments } from "../attachment/presign.ts";
import { actorFor, canSee } from "./actor.ts";
import { CASE_CONFIG, caseConfig } from "./config.ts";
import { decide } from "./decide.ts";
import { allowedActions } from "./machine.ts";
import { commitDecision, getCase, getCases, getCaseWithConfig, getIdempotency, type DomainEvent } from "./repo.ts";
import { idsFor, type Refs } from "./refs.ts";
import type { Actor, Decision } from "./schema.ts";
import { ACTION_NAMES, Attachment, type Case } from "./schema.ts";
import { IDEMPOTENCY_SECONDS, idem, replay, view, type CaseView } from "./view.ts";

/* Acting on a case: people's actions and the system's (timers), the same decide and conditional write (issue #15: its own module, core/case/view.ts). */

/** Act on a case. Conflicting concurrent actions: one wins, the others get 409 with the current state. */
export async function actOnCase(p: Principal, id: string, action: string, body: unknown, now: Date, idempotencyKey?: string): Promise<CaseView> {
  if (!(ACTION_NAMES as string[]).includes(action) || action === "report" || action === "timeout") throw new NotFoundError(`No action ${action}`);
  const idemRef = idem(p, idempotencyKey);
  if (idemRef) {
    const prior = await getIdempotency(idemRef.callerId, idemRef.key);
    if (prior) {
      if (prior.caseId !== id) throw new ConflictError("This Idempotency-Key was used for another request");
      return replay(p, id, now);
    }
  }
  const c = await getCaseWithConfig(id, CASE_CONFIG, now); // one request: the case, and the container's configuration when due (#16)
  if (!c || !canSee(p, c)) throw new NotFoundError(`Case ${id} not found`);
  // the action is the path's; an `action` in the body would be ignored, so it is refused (strict bodies)
  if (body && typeof body === "object" && Object.hasOwn(body, "action")) throw new InvalidError("Invalid action", { fields: [{ path: "action", message: "Unknown field", code: "unrecognized_keys" }] });
  const input = { ...(body && typeof body === "object" ? body : {}), action };
  const attachments = (input as { attachments?: unknown }).attachments;
  if (Array.isArray(attachments) && attachments.length) {
    const parsed = parse(z.array(Attachment).check(z.maxLength(20)), attachments, "attachments");
    await confirmAttachments(parsed, [`cases/${c.id}/`, `uploads/${p.kind}-${p.id}/`]);
  }
  const config = await caseConfig(c.categoryId, c.unitPath);
  const actor = actorFor(p, c.unitPath);
  config.refs = await loadRefs(p, c, input, actor, config);
  const decision = decide(c, input, actor, now, config);
  let events: DomainEvent[];
  try {
    events = await commitDecision(c, decision, idemRef ? { idempotency: { ...idemRef, expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_SECONDS } } : {});
  } catch (e) {
    if (idemRef && (e instanceof ConflictError || e instanceof UnavailableError)) {
      const prior = await getIdempotency(idemRef.callerId, idemRef.key);
      if (prior) return replay(p, id, now);
    }
    if (e instanceof ConflictError && (e.details as { reason?: string } | undefined)?.reason) {
      forgetCachedDepartments(); // a reference changed meanwhile (refs.ts): the retry reads departments again
      throw e;
    }
    if (e instanceof ConflictError) {
      const current = await getCase(id);
      throw new ConflictError("The case was changed by someone else; reload and retry", current ? { state: current.state, version: current.version, allowedActions: allowedActions(current, actorFor(p, current.unitPath), now) } : undefined);
    }
    throw e;
  }
  await publishEvents(events);
  return view(p, decision.next, now);
}

/** The system (timers) acting on a case: same decide, same conditional write. */
export async function systemAct(id: string, input: Record<string, unknown>, now: Date): Promise<{ applied: boolean; case?: Case; reason?: string }> {
  const c = await getCaseWithConfig(id, CASE_CONFIG, now); // as an action: configuration due comes with the case (#16)
  if (!c) return { applied: false, reason: "case not found" };
  const decided = await decideAsSystem(c, input, now);
  if ("reason" in decided) return { applied: false, reason: decided.reason };
  try {
    const events = await commitDecision(c, decided.decision);
    await publishEvents(events);
  } catch (e) {
    if (e instanceof ConflictError) return { applied: false, reason: "case moved on concurrently" };
    throw e;
  }
  return { applied: true, case: decided.decision.next };
}

/** What the system (a timer) would do to this case: the decision, or why it does nothing. */
export async function decideAsSystem(c: Case, input: Record<string, unknown>, now: Date): Promise<{ decision: Decision } | { reason: string }> {
  const config = await caseConfig(c.categoryId, c.unitPath);
  const actor: Actor = { kind: "system", id: "timer", roles: [] };
  config.refs = await loadRefs({ kind: "system", id: "timer" }, c, input, actor, config);
  try {
    return { decision: decide(c, input, actor, now, config) };
  } catch (e) {
    if (e instanceof ConflictError || e instanceof InvalidError || e instanceof ForbiddenError) return { reason: e.message };
    throw e;
  }
}

/**
 * Load what an action refers to (core/case/refs.ts `idsFor`): departments, units and other cases,
 * with the caller's visibility of those cases. `decide` checks them; the commit re-checks them.
 */
async function loadRefs(p: Principal, c: Case, input: Record<string, unknown>, actor: Actor, rules: { responsibleDepartmentId?: string; candidateDepartments?: string[] }): Promise<Refs> {
  const ids = idsFor(c, input, actor, rules);
  const [departments, units, cases] = await Promise.all([
    ids.departments.length ? cachedDepartments(ids.departments) : new Map(),
    ids.units.length ? getUnits(ids.units) : new Map(),
    ids.cases.length ? getCases(ids.cases) : new Map<string, Case>(),
  ]);
  return {
    departments: new Map([...departments.values()].map((d) => [d.id, { id: d.id, active: d.active, unitIds: d.unitIds ?? [] }])),
    units: new Map([...units.values()].map((u) => [u.id, { id: u.id, active: u.active, path: u.path }])),
    cases: new Map([...cases.values()].map((t) => [t.id, { id: t.id, state: t.state, visible: canSee(p, t) }])),
  };
}
