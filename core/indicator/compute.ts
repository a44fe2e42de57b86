/**
 * Indicators of one subject and month, computed from its monthly counters only (the `AGG#<month>`
 * items kept by the events consumer; never from cases). Pure. Formulas follow GB/T 30428.4-style
 * definitions and are documented, with their exact denominators, in docs/appraisal.md.
 *
 * A rate is a percentage 0–100 with two decimals, or `null` ("n/a") when its denominator is 0:
 * an empty month is never 0 % or 100 %. Rates are capped at 100 because one month's counters mix
 * cases whose stages straddle months (a case handled in March may close in April).
 */
import type { EvaluationLevel } from "../case/schema.ts";
import { EVALUATION_LEVELS, MEDIATION_LADDER } from "../case/levels.ts";

export type Counters = Readonly<Record<string, number | undefined>>;
export type Indicators = Record<string, number | null>;
export type SubjectKind = "unit" | "department" | "worker";

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** 100 · num / den, capped to [0, 100], two decimals; null when den is 0. */
export function rate(num: number, den: number): number | null {
  if (!(den > 0)) return null;
  return round2(Math.min(100, Math.max(0, (100 * num) / den)));
}

const get = (c: Counters, k: string): number => {
  const v = Number(c[k] ?? 0);
  return Number.isFinite(v) ? v : 0;
};

/** Stage deadlines that passed this month and were not met by a late completion this month. */
export const overdueOpen = (overdue: number, late: number): number => Math.max(0, overdue - late);

/** Points of each evaluation level in the satisfaction index (linear, very satisfied = 100). */
export const SATISFACTION_POINTS: Record<EvaluationLevel, number> = {
  very_satisfied: 100,
  satisfied: 75,
  average: 50,
  dissatisfied: 25,
  very_dissatisfied: 0,
};

function satisfaction(c: Counters) {
  const levels = EVALUATION_LEVELS;
  const evaluations = levels.reduce((s, l) => s + get(c, `eval_${l}`), 0);
  const satisfied = get(c, "eval_very_satisfied") + get(c, "eval_satisfied");
  const points = levels.reduce((s, l) => s + SATISFACTION_POINTS[l] * get(c, `eval_${l}`), 0);
  return {
    evaluations,
    satisfactionRate: rate(satisfied, evaluations),
    satisfactionIndex: evaluations > 0 ? round2(points / evaluations) : null,
  };
}

/** The handle stage: what was due (handled + overdue not handled) and how much of it on time. */
function handling(c: Counters) {
  const handled = get(c, "handled");
  const toHandle = handled + overdueOpen(get(c, "overdue_handle"), get(c, "handledLate"));
  return { handled, toHandle, onTimeHandleRate: rate(get(c, "handledOnTime"), toHandle) };
}

function closing(c: Counters, dueToClose: number) {
  const closed = get(c, "closed");
  const closedOnTime = get(c, "closedOnTime");
  const rework = get(c, "rework");
  return {
    dueToClose,
    closed,
    closedOnTime,
    closeRate: rate(closed, dueToClose),
    onTimeCloseRate: rate(closedOnTime, dueToClose),
    rework,
    reworkRate: rate(rework, dueToClose),
  };
}

const overdueTotal = (c: Counters): number =>
  Object.entries(c).reduce((s, [k, v]) => (k.startsWith("overdue_") ? s + (Number(v) || 0) : s), 0);

/** Indicators of a unit (its whole subtree: counters count for every ancestor). */
export function unitIndicators(c: Counters): Indicators {
  const reports = get(c, "reports");
  const validReports = get(c, "validReports");
  const reportsPublic = get(c, "reportsPublic");
  const registered = get(c, "registered");
  const toAccept = registered + overdueOpen(get(c, "overdue_accept"), get(c, "acceptedLate"));
  const dispatched = get(c, "dispatched");
  const toDispatch = dispatched + overdueOpen(get(c, "overdue_dispatch"), get(c, "dispatchedLate"));
  const transfers = get(c, "transfers");
  const h = handling(c);
  const resolvedOnSpot = get(c, "resolvedOnSpot");
  const verified = get(c, "verified");
  const checks = verified + get(c, "verifyFailed");
  const toVerify = checks + overdueOpen(get(c, "overdue_verify"), get(c, "verifiedLate") + get(c, "verifyFailedLate"));
  const resolvedAt = Object.fromEntries(MEDIATION_LADDER.map((l) => [l, get(c, `mediation_${l}_resolved`)])) as Record<(typeof MEDIATION_LADDER)[number], number>;
  const disputesResolved = MEDIATION_LADDER.reduce((s, l) => s + resolvedAt[l], 0);
  const inCommunity = resolvedAt.grid + resolvedAt.village_group + resolvedAt.community;
  return {
    reports,
    validReports,
    validReportRate: rate(validReports, reports),
    invalid: get(c, "invalid"),
    merged: get(c, "merged"),
    reportsPublic,
    missedReportRate: rate(reportsPublic, reports),
    urgent: get(c, "urgent"),
    registered,
    toAccept,
    onTimeAcceptRate: rate(get(c, "acceptedOnTime"), toAccept),
    dispatched,
    toDispatch,
    onTimeDispatchRate: rate(get(c, "dispatchedOnTime"), toDispatch),
    transfers,
    accurateDispatchRate: rate(Math.max(0, toDispatch - transfers), toDispatch),
    ...h,
    resolvedOnSpot,
    ...closing(c, h.toHandle + resolvedOnSpot),
    verified,
    toVerify,
    onTimeVerifyRate: rate(get(c, "verifiedOnTime") + get(c, "verifyFailedOnTime"), toVerify),
    supervised: get(c, "supervised"),
    overdue: overdueTotal(c),
    ...satisfaction(c),
    disputesResolved,
    ...Object.fromEntries(MEDIATION_LADDER.map((l) => [`disputesResolved_${l}`, resolvedAt[l]])),
    disputesResolvedInGrid: resolvedAt.grid,
    disputesResolvedInCommunity: inCommunity,
    mediationsFailed: MEDIATION_LADDER.reduce((s, l) => s + get(c, `mediation_${l}_failed`), 0),
    inGridShare: rate(resolvedAt.grid, disputesResolved),
    inCommunityShare: rate(inCommunity, disputesResolved),
  };
}

/** Indicators of a department (cases dispatched to, claimed by or handled by it). */
export function departmentIndicators(c: Counters): Indicators {
  const claims = get(c, "claims");
  const assigned = get(c, "dispatched") + claims;
  const transfers = get(c, "transfers");
  const h = handling(c);
  return {
    assigned,
    claims,
    claimPoints: get(c, "claimPoints"),
    transfers,
    accurateDispatchRate: rate(Math.max(0, assigned - transfers), assigned),
    ...h,
    ...closing(c, h.toHandle),
    supervised: get(c, "supervised"),
    overdue: overdueTotal(c),
    ...satisfaction(c),
  };
}

/**
 * Indicators of a grid worker: their own counters (reports, checks, resolutions) plus their
 * grid's counters for the missed-report score (problems in the grid found by someone else).
 */
export function workerIndicators(w: Counters, grid: Counters | undefined): Indicators {
  const reports = get(w, "reports");
  const validReports = get(w, "validReports");
  const checks = get(w, "verified") + get(w, "verifyFailed");
  const reportChecks = get(w, "reportChecks");
  const gridReports = grid ? get(grid, "reports") : 0;
  const gridReportsPublic = grid ? get(grid, "reportsPublic") : 0;
  const missedReportRate = rate(gridReportsPublic, gridReports);
  const s = satisfaction(w);
  return {
    reports,
    validReports,
    validReportRate: rate(validReports, reports),
    resolvedOnSpot: get(w, "resolvedOnSpot"),
    verified: get(w, "verified"),
    checks,
    verifiedOnTime: get(w, "verifiedOnTime") + get(w, "verifyFailedOnTime"),
    onTimeVerifyRate: rate(get(w, "verifiedOnTime") + get(w, "verifyFailedOnTime"), checks),
    reportChecks,
    onTimeCheckRate: rate(get(w, "reportChecksOnTime"), reportChecks),
    gridReports,
    gridReportsPublic,
    missedReportRate,
    missedReportScore: missedReportRate === null ? null : round2(100 - missedReportRate),
    evaluations: s.evaluations,
    satisfied: get(w, "eval_very_satisfied") + get(w, "eval_satisfied"),
    satisfactionRate: s.satisfactionRate,
  };
}

export function indicatorsFor(kind: SubjectKind, own: Counters, grid?: Counters): Indicators {
  return kind === "unit" ? unitIndicators(own) : kind === "department" ? departmentIndicators(own) : workerIndicators(own, grid);
}
