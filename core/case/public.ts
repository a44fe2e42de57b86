import type { Principal } from "../auth/principal.ts";
import type { Case, CaseEvent } from "./schema.ts";

/**
 * What a resident sees of their own case: an explicit allow-list, so a field added to the case
 * later stays internal until it is listed here (docs/registry.md "Residents see public fields").
 * Never staff or user ids (owner, handler, actors), flags, candidate or responsible departments,
 * timers, counters, pending extensions, the unit path, or another case's id (a merge target).
 */
export const RESIDENT_CASE_FIELDS = [
  "id",
  "number",
  "categoryId",
  "description",
  "location",
  "unitId",
  "channel",
  "reporter",
  "state",
  "urgent",
  "evaluation",
  "dueAt",
  "version",
  "createdAt",
  "updatedAt",
  "closedAt",
] as const satisfies readonly (keyof Case)[];

export type ResidentCase = Pick<Case, (typeof RESIDENT_CASE_FIELDS)[number]> & { rejection?: { reason: string }; reopenUntil?: string };

export function residentCase(c: Case): ResidentCase {
  const out: Record<string, unknown> = {};
  for (const f of RESIDENT_CASE_FIELDS) if (c[f] !== undefined) out[f] = c[f];
  if (c.rejection) out.rejection = { reason: c.rejection.reason };
  if (c.deadlines.reopen) out.reopenUntil = c.deadlines.reopen;
  return out as ResidentCase;
}

/** Fields of a timeline event a resident sees: what happened and when; who only by kind (their own id excepted). */
export type ResidentEvent = Pick<CaseEvent, "type" | "action" | "from" | "to" | "at" | "seq"> & { actor: { kind: CaseEvent["actor"]["kind"]; id?: string }; attachments?: CaseEvent["attachments"] };

/** The caller's own events carry their attachments (their photos); no one else's are shown, nor downloadable. */
export function residentEvent(e: CaseEvent, p: Principal): ResidentEvent {
  const own = e.actor.kind === p.kind && e.actor.id === p.id;
  return {
    type: e.type,
    action: e.action,
    from: e.from,
    to: e.to,
    at: e.at,
    seq: e.seq,
    actor: own ? { kind: e.actor.kind, id: e.actor.id } : { kind: e.actor.kind },
    ...(own && e.attachments?.length ? { attachments: e.attachments } : {}),
  };
}

/** Attachment keys a principal may download from a case's timeline (residents: only the ones shown to them). */
export function downloadableKeys(events: CaseEvent[], p: Principal): Set<string> {
  const shown = p.kind === "resident" ? events.map((e) => residentEvent(e, p)) : events;
  return new Set(shown.flatMap((e) => (e.attachments ?? []).map((a) => a.key)));
}
