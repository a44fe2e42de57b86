import * as z from "zod/mini";
import { actorOf, auditPut } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { getDepartments } from "../department/repo.ts";
import { getUnits } from "../unit/repo.ts";
import { publishEvents } from "../outbox/publish.ts";
import { parse } from "../validate.ts";
import { caseConfig } from "./config.ts";
import { STAGE_OF, timerChanges } from "./decide.ts";
import { rungsOf } from "./ladder.ts";
import { departmentProblem, type Refs } from "./refs.ts";
import { commitDecision, getCases } from "./repo.ts";
import { allCasesInState, allOpenCases } from "./repo-reads.ts";
import type { Case, CaseEvent, Decision } from "./schema.ts";

/**
 * Repair (issue 14): find cases stranded by the bugs invariant 1 now prevents — owned by a
 * department or unit that does not exist, is inactive or cannot own the case, or rejected as merged
 * into a case that does not exist — and hand them back to the dispatch center (`accepted`, a fresh
 * dispatch deadline), each in one conditional transaction with its audit entry and a `returned`
 * event (`data.repair`). Idempotent: a repaired case is no longer stranded.
 */

/** `dryRun` is required: an empty request changes nothing (the caller says which it wants). */
export const RepairRequest = z.strictObject({ dryRun: z.boolean() });

const OPEN = ["reported", "accepted", "claimable", "dispatched", "in_progress", "handled", "verified"];

/** Why a case is stranded (undefined: it is not). Pure, over what was loaded. */
export function strandedBecause(c: Case, refs: Refs, existingCases: ReadonlySet<string>): string | undefined {
  if (c.state === "rejected") return c.rejection?.mergedInto && !existingCases.has(c.rejection.mergedInto) ? "merged_into_unknown_case" : undefined;
  if (!OPEN.includes(c.state)) return undefined;
  const o = c.owner;
  if (o.kind === "department") return departmentProblem(refs, c, o.id);
  if (o.kind === "unit") {
    const u = refs.units.get(o.id);
    if (!u) return "unknown_unit";
    if (!u.active) return "inactive_unit";
    if (!c.unitPath.split("/").includes(o.id)) return "unit_not_on_the_case_path";
    if ((c.state === "dispatched" || c.state === "in_progress") && !c.isDispute) return "unit_owns_a_case_that_is_not_a_dispute";
    if ((c.state === "dispatched" || c.state === "in_progress") && !rungsOf(c.unitPath, o.id).length) return "not_a_mediating_unit";
  }
  return undefined;
}

export async function repairStrandedCases(p: Principal, input: unknown, now: Date): Promise<{ checked: number; repaired: Array<{ id: string; number: string; reason: string; from: Case["owner"] }>; dryRun: boolean }> {
  const { dryRun } = parse(RepairRequest, input, "repair");
  const open = await allOpenCases();
  const rejected = await allCasesInState("rejected");
  const merged = rejected.filter((c) => c.rejection?.mergedInto);
  const candidates = [...open, ...merged];
  const owners = (k: string) => candidates.flatMap((c) => (c.owner.kind === k ? [c.owner.id] : []));
  const [departments, units, targets] = await Promise.all([getDepartments(owners("department")), getUnits(owners("unit")), getCases(merged.map((c) => c.rejection!.mergedInto!))]);
  const refs: Refs = {
    departments: new Map([...departments.values()].map((d) => [d.id, { id: d.id, active: d.active, unitIds: d.unitIds ?? [] }])),
    units: new Map([...units.values()].map((u) => [u.id, { id: u.id, active: u.active, path: u.path }])),
    cases: new Map(),
  };
  const repaired: Array<{ id: string; number: string; reason: string; from: Case["owner"] }> = [];
  for (const c of candidates) {
    const reason = strandedBecause(c, refs, new Set(targets.keys()));
    if (!reason) continue;
    repaired.push({ id: c.id, number: c.number, reason, from: c.owner });
    if (dryRun) continue;
    const config = await caseConfig(c.categoryId, c.unitPath).catch(() => undefined);
    const at = now.toISOString();
    const next: Case = structuredClone(c);
    next.state = "accepted";
    next.owner = { kind: "unit", id: c.unitPath.split("/").filter(Boolean)[0] };
    next.version = c.version + 1;
    next.updatedAt = at;
    delete next.rejection;
    delete next.pendingExtension;
    next.flags = { ...next.flags, overdue: false, deferred: false };
    const due = (config?.deadlineFor(STAGE_OF.accepted!, now) ?? new Date(now.getTime() + 4 * 3_600_000)).toISOString();
    next.deadlines = { ...next.deadlines, dispatch: due };
    next.dueAt = due;
    next.timer = { stage: "dispatch", dueAt: due };
    const event: CaseEvent = {
      type: "returned",
      action: "transfer",
      from: c.state,
      to: "accepted",
      actor: { kind: "user", id: p.id },
      at,
      version: next.version,
      seq: 0,
      note: `repair: ${reason.replaceAll("_", " ")}`,
      data: { repair: true, reason, from: c.owner, notify: [{ kind: "role", role: "dispatcher" }] },
    };
    const d: Decision = { next, events: [event], timers: timerChanges(c.timer, next.timer), checks: [] };
    const audit = auditPut({ actor: actorOf(p), action: "case.repair", entity: "case", entityId: c.id, summary: `${c.number}: ${reason} → dispatch center`, changes: { owner: { from: c.owner, to: next.owner }, state: { from: c.state, to: next.state } } as never }, now);
    try {
      const events = await commitDecision(c, d, { ops: [audit] });
      await publishEvents(events);
    } catch {
      repaired.pop(); // changed meanwhile: the next run looks again
    }
  }
  return { checked: candidates.length, repaired, dryRun };
}
