import type { DomainEvent } from "../case/repo.ts";

/** Subjects that monthly numbers are kept for. */
export type Subject = { kind: "unit" | "department" | "worker"; id: string };

export type Increments = Map<string, Map<string, number>>; // subject key → counter → delta

const subjectKey = (s: Subject) => `${s.kind}#${s.id}`;

function bump(into: Increments, subjects: Subject[], counter: string, by = 1) {
  for (const s of subjects) {
    const k = subjectKey(s);
    const m = into.get(k) ?? new Map<string, number>();
    m.set(counter, (m.get(counter) ?? 0) + by);
    into.set(k, m);
  }
}

const onTime = (at: string, deadline: string | undefined) => deadline === undefined || at <= deadline;

/**
 * What one domain event adds to the monthly counters, as a pure function (unit-tested; the
 * appraisal formulas in docs/appraisal.md are written over these counter names).
 * Units count for the case's unit and all its ancestors; departments for the department that
 * owned or handled the case; workers for the grid worker who reported, resolved or verified.
 */
export function countersFor(e: DomainEvent): Increments {
  const out: Increments = new Map();
  const units: Subject[] = e.unitPath.split("/").filter(Boolean).map((id) => ({ kind: "unit", id }));
  const dept = (o: { kind: string; id: string } | undefined): Subject[] => (o?.kind === "department" ? [{ kind: "department", id: o.id }] : []);
  const actorWorker: Subject[] = e.actor.kind === "user" ? [{ kind: "worker", id: e.actor.id }] : [];
  const handlerDept = dept(e.handler ?? e.owner);
  const data = (e.data ?? {}) as Record<string, any>;
  // a case closes by a transition (evaluate, resolve, close, a timeout), whatever the event is called:
  // count the transition once, on the first event of the decision
  if (e.seq === 0 && e.to === "closed" && e.from !== "closed") {
    bump(out, [...units, ...handlerDept], "closed");
    // on time when no stage of the case ever went overdue
    bump(out, [...units, ...handlerDept], e.flags.overdue ? "closedLate" : "closedOnTime");
  }
  switch (e.type) {
    case "reported":
      bump(out, units, "reports");
      if (e.reporter.kind === "user") bump(out, [{ kind: "worker", id: e.reporter.id }], "reports");
      if (e.urgent) bump(out, units, "urgent");
      break;
    case "accepted":
      bump(out, units, "registered");
      bump(out, units, onTime(e.at, e.deadlines.accept) ? "acceptedOnTime" : "acceptedLate");
      if (e.reporter.kind === "user") bump(out, [{ kind: "worker", id: e.reporter.id }], "validReports");
      break;
    case "rejected":
      bump(out, units, "invalid");
      break;
    case "merged":
      bump(out, units, "merged");
      break;
    case "resolved":
      bump(out, [...units, ...actorWorker], "resolvedOnSpot");
      if (e.reporter.kind === "user") bump(out, [{ kind: "worker", id: e.reporter.id }], "validReports");
      break;
    case "claimed":
      if (data.departmentId) {
        bump(out, [{ kind: "department", id: data.departmentId }], "claims");
        bump(out, [{ kind: "department", id: data.departmentId }], "claimPoints", Number(data.points ?? 0));
      }
      bump(out, units, "dispatched");
      break;
    case "dispatched": {
      const to = data.to as { kind: string; id: string } | undefined;
      bump(out, [...units, ...dept(to)], "dispatched");
      bump(out, units, onTime(e.at, e.deadlines.dispatch ?? e.deadlines.claim) ? "dispatchedOnTime" : "dispatchedLate");
      break;
    }
    case "transferred":
      bump(out, [...units, ...dept(data.from)], "transfers");
      break;
    case "handled":
      bump(out, [...units, ...handlerDept], "handled");
      bump(out, [...units, ...handlerDept], onTime(e.at, e.deadlines.handle) ? "handledOnTime" : "handledLate");
      break;
    case "verified":
      bump(out, [...units, ...actorWorker], "verified");
      bump(out, [...units, ...actorWorker], onTime(e.at, e.deadlines.verify) ? "verifiedOnTime" : "verifiedLate");
      break;
    case "verify_failed":
      bump(out, [...units, ...actorWorker], "verifyFailed");
      break;
    case "evaluated":
      bump(out, [...units, ...handlerDept], `eval_${data.level}`);
      if (data.byDefault) bump(out, units, "evalByDefault");
      break;
    case "returned":
      bump(out, [...units, ...dept(data.to)], "rework");
      break;
    case "supervised":
      bump(out, [...units, ...handlerDept], "supervised");
      break;
    case "overdue":
      bump(out, [...units, ...handlerDept], `overdue_${data.stage}`);
      break;
    case "reopened":
      bump(out, units, "reopened");
      break;
    case "mediated":
      bump(out, units, `mediation_${data.level ?? "grid"}_${data.outcome}`);
      break;
    case "escalated":
      bump(out, units, "escalated");
      break;
    default:
      break;
  }
  return out;
}

