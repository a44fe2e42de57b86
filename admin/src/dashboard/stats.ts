/**
 * Dashboard figures from the case lists (there is no aggregate endpoint yet): open cases are read
 * per state (`GET /v1/cases?state=X`), at most a few pages each, and cases closed this month
 * (`?closedMonth=`), then counted here. Counts that hit the cap are marked `capped` ("400+").
 */

/** The open states, in the order of the case loop. */
export const OPEN_STATES_FOR_STATS = ["reported", "accepted", "claimable", "dispatched", "in_progress", "handled", "verified"] as const;

export interface CaseLike {
  id: string;
  number: string;
  state: string;
  categoryId: string;
  unitId: string;
  owner?: { kind: string; id: string };
  handler?: { kind: string; id: string };
  flags?: Record<string, boolean>;
  closedAt?: string;
  createdAt?: string;
}

export interface Sample {
  items: CaseLike[];
  /** more pages were left unread */
  capped: boolean;
}

export interface Count {
  id: string;
  count: number;
}

export interface DashboardStats {
  month: string;
  byState: { state: string; count: number; capped: boolean }[];
  open: number;
  openCapped: boolean;
  overdue: number;
  supervised: number;
  byCategory: Count[];
  overdueUnits: Count[];
  departments: { id: string; open: number; closed: number }[];
  closed: number;
  closedCapped: boolean;
  recentClosed: CaseLike[];
}

function countBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) {
    const k = key(it);
    if (k) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

const top = (m: Map<string, number>, n: number): Count[] =>
  [...m]
    .map(([id, count]) => ({ id, count }))
    .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id))
    .slice(0, n);

/** The figures from the open cases per state and the cases closed in `month`. */
export function computeStats(openByState: Record<string, Sample>, closed: Sample, month: string, topN = 8): DashboardStats {
  const byState = OPEN_STATES_FOR_STATS.map((state) => ({ state, count: openByState[state]?.items.length ?? 0, capped: openByState[state]?.capped ?? false }));
  // a case changing state between two reads could be seen twice: count each id once
  const seen = new Set<string>();
  const open: CaseLike[] = [];
  for (const s of OPEN_STATES_FOR_STATS) {
    for (const c of openByState[s]?.items ?? []) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      open.push(c);
    }
  }
  const deptOpen = countBy(open, (c) => (c.owner?.kind === "department" ? c.owner.id : undefined));
  const deptClosed = countBy(closed.items, (c) => (c.handler?.kind === "department" ? c.handler.id : undefined));
  const deptIds = new Set([...deptOpen.keys(), ...deptClosed.keys()]);
  const departments = [...deptIds]
    .map((id) => ({ id, open: deptOpen.get(id) ?? 0, closed: deptClosed.get(id) ?? 0 }))
    .sort((a, b) => b.open + b.closed - (a.open + a.closed) || a.id.localeCompare(b.id))
    .slice(0, topN);
  const recentClosed = [...closed.items].sort((a, b) => (b.closedAt ?? "").localeCompare(a.closedAt ?? "")).slice(0, 8);
  return {
    month,
    byState,
    open: open.length,
    openCapped: byState.some((s) => s.capped),
    overdue: open.filter((c) => c.flags?.overdue).length,
    supervised: open.filter((c) => c.flags?.supervised).length,
    byCategory: top(countBy(open, (c) => c.categoryId), topN),
    overdueUnits: top(countBy(open.filter((c) => c.flags?.overdue), (c) => c.unitId), topN),
    departments,
    closed: closed.items.length,
    closedCapped: closed.capped,
    recentClosed,
  };
}

/** The UTC month (YYYY-MM) of an instant: the API files closed cases under `closedAt.slice(0, 7)`. */
export const utcMonth = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

/** Claims per department from the monthly appraisal (`GET /v1/appraisals?subject=department`). */
export interface DepartmentClaims {
  period: string;
  computedAt?: string;
  rows: { id: string; name: string; claims: number; assigned: number }[];
}

/** The month before a YYYY-MM month. */
export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

interface AppraisalSummaryLike {
  id: string;
  name?: string;
  computedAt?: string;
  indicators?: Record<string, number | null>;
}

/** Department results of one period → claims per department (departments without any left out), most first. */
export function departmentClaims(period: string, items: readonly AppraisalSummaryLike[]): DepartmentClaims | undefined {
  if (!items.length) return undefined;
  const rows = items
    .map((a) => ({ id: a.id, name: a.name ?? a.id, claims: a.indicators?.claims ?? 0, assigned: a.indicators?.assigned ?? 0 }))
    .filter((r) => r.claims > 0 || r.assigned > 0)
    .sort((a, b) => b.claims - a.claims || b.assigned - a.assigned || a.name.localeCompare(b.name));
  const computedAt = items.map((a) => a.computedAt ?? "").sort().at(-1) || undefined;
  return { period, computedAt, rows };
}
