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

/** Channels through which someone other than the grid's workers found the problem (a "missed report" of the grid). */
export const PUBLIC_CHANNELS: readonly string[] = ["resident", "hotline", "partner", "police"];

/**
 * What one domain event adds to the monthly counters, as a pure function (unit-tested; the
 * appraisal formulas in docs/appraisal.md are written over these counter names).
 *
 * Counters: reports, reportsPublic, urgent, validReports, invalid, merged, registered,
 * acceptedOnTime|Late, dispatched, dispatchedOnTime|Late, claims, claimPoints, transfers, handled,
 * handledOnTime|Late, verified, verifiedOnTime|Late, verifyFailed, verifyFailedOnTime|Late, closed,
 * closedOnTime|Late, rework, supervised, reopened, escalated, resolvedOnSpot, eval_<level>,
 * evalByDefault, reportChecks, reportChecksOnTime, overdue_<stage>, mediation_<level>_<outcome>.
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
  const reporterWorker: Subject[] = e.reporter.kind === "user" ? [{ kind: "worker", id: e.reporter.id }] : [];
  // a case closes by a transition (evaluate, resolve, close, a timeout), whatever the event is called:
  // count the transition once, on the first event of the decision
  if (e.seq === 0 && e.to === "closed" && e.from !== "closed") {
    bump(out, [...units, ...handlerDept], "closed");
    // late when the case was ever pushed to supervision (督办): left overdue past the grace period,
    // failed again after rework, or taken up by the efficiency office. `flags` are the case's flags
    // after the decision; closing clears `overdue` but keeps `supervised`.
    bump(out, [...units, ...handlerDept], e.flags.supervised || e.flags.overdue ? "closedLate" : "closedOnTime");
  }
  switch (e.type) {
    case "reported":
      bump(out, units, "reports");
      if (e.reporter.kind === "user") bump(out, [{ kind: "worker", id: e.reporter.id }], "reports");
      if (e.urgent) bump(out, units, "urgent");
      // found by residents, the hotline, partners or the police rather than by the grid: a missed report
      if (PUBLIC_CHANNELS.includes(String(data.channel))) bump(out, units, "reportsPublic");
      break;
    case "accepted":
      bump(out, units, "registered");
      bump(out, units, onTime(e.at, e.deadlines.accept) ? "acceptedOnTime" : "acceptedLate");
      bump(out, [...units, ...reporterWorker], "validReports");
      break;
    case "rejected":
      bump(out, units, "invalid");
      break;
    case "merged":
      bump(out, units, "merged");
      break;
    case "resolved":
      bump(out, [...units, ...actorWorker], "resolvedOnSpot");
      // a case resolved before registration is valid now; one resolved after it was counted at "accepted"
      if (e.from === "reported") bump(out, [...units, ...reporterWorker], "validReports");
      break;
    case "claimed":
      if (data.departmentId) {
        bump(out, [{ kind: "department", id: data.departmentId }], "claims");
        bump(out, [{ kind: "department", id: data.departmentId }], "claimPoints", Number(data.points ?? 0));
      }
      bump(out, units, "dispatched");
      // a claim is only possible inside the claim window: always on time
      bump(out, units, "dispatchedOnTime");
      break;
    case "dispatched": {
      const to = data.to as { kind: string; id: string } | undefined;
      bump(out, [...units, ...dept(to)], "dispatched");
      // the system's own dispatch when the claim window closes is on time by definition
      bump(out, units, data.auto === true || onTime(e.at, e.deadlines.dispatch ?? e.deadlines.claim) ? "dispatchedOnTime" : "dispatchedLate");
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
      bump(out, [...units, ...actorWorker], onTime(e.at, e.deadlines.verify) ? "verifyFailedOnTime" : "verifyFailedLate");
      break;
    case "evaluated":
      bump(out, [...units, ...handlerDept, ...reporterWorker], `eval_${data.level}`);
      if (data.byDefault) bump(out, units, "evalByDefault");
      // the reporting worker's check of the result (回访): due on every evaluation of their report,
      // on time when they gave it themselves (a default or on-behalf evaluation means they did not)
      if (reporterWorker.length) {
        bump(out, reporterWorker, "reportChecks");
        if (e.actor.kind === "user" && e.actor.id === e.reporter.id) bump(out, reporterWorker, "reportChecksOnTime");
      }
      break;
    case "returned":
      bump(out, [...units, ...dept(data.to)], "rework");
      break;
    // a delay or a supervision counts against whoever owned the stage when it happened
    // (docs/appraisal.md): a department only when it owned the case then, never for the grid's verify stage
    case "supervised":
      bump(out, [...units, ...dept(e.owner)], "supervised");
      break;
    case "overdue":
      bump(out, [...units, ...dept((data.owner as { kind: string; id: string } | undefined) ?? e.owner)], `overdue_${data.stage}`);
      break;
    case "reopened":
      bump(out, units, "reopened");
      break;
    case "mediated":
      bump(out, units, `mediation_${data.level ?? "grid"}_${data.outcome}`);
      // a resolved mediation is the handling of a dispute (the case goes to verification)
      if (data.outcome === "resolved") {
        bump(out, [...units, ...handlerDept], "handled");
        bump(out, [...units, ...handlerDept], onTime(e.at, e.deadlines.handle) ? "handledOnTime" : "handledLate");
      }
      break;
    case "escalated":
      bump(out, units, "escalated");
      break;
    default:
      break;
  }
  return out;
}

