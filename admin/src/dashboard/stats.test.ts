import { describe, it, expect } from "vitest";
import { computeStats, departmentClaims, previousMonth, utcMonth, type CaseLike, type Sample } from "./stats.ts";
import { loadDashboard, loadDepartmentClaims, PAGE_SIZE } from "./load.ts";

let n = 0;
const c = (over: Partial<CaseLike>): CaseLike => ({ id: `c${++n}`, number: `2026-${n}`, state: "dispatched", categoryId: "cat-a", unitId: "u1", ...over });
const sample = (items: CaseLike[], capped = false): Sample => ({ items, capped });

describe("dashboard figures", () => {
  it("count open cases per state, each case once, and mark capped lists", () => {
    const dup = c({ state: "reported" });
    const s = computeStats({ reported: sample([dup, c({ state: "reported" })]), accepted: sample([dup], true) }, sample([]), "2026-05");
    expect(s.byState.find((x) => x.state === "reported")).toEqual({ state: "reported", count: 2, capped: false });
    expect(s.byState.find((x) => x.state === "accepted")).toEqual({ state: "accepted", count: 1, capped: true });
    expect(s.byState.map((x) => x.state)).toEqual(["reported", "accepted", "claimable", "dispatched", "in_progress", "handled", "verified"]);
    expect(s.open).toBe(2);
    expect(s.openCapped).toBe(true);
  });

  it("rank categories and units with overdue cases, count departments' open and closed cases", () => {
    const open = [
      c({ categoryId: "x", unitId: "u1", flags: { overdue: true }, owner: { kind: "department", id: "d1" } }),
      c({ categoryId: "x", unitId: "u2", flags: { overdue: true, supervised: true }, owner: { kind: "department", id: "d1" } }),
      c({ categoryId: "y", unitId: "u2", flags: { overdue: true }, owner: { kind: "unit", id: "u2" } }),
    ];
    const closed = [c({ state: "closed", handler: { kind: "department", id: "d2" }, closedAt: "2026-05-02T00:00:00Z" }), c({ state: "closed", handler: { kind: "department", id: "d1" }, closedAt: "2026-05-03T00:00:00Z" })];
    const s = computeStats({ dispatched: sample(open) }, sample(closed, true), "2026-05");
    expect(s.byCategory).toEqual([
      { id: "x", count: 2 },
      { id: "y", count: 1 },
    ]);
    expect(s.overdueUnits).toEqual([
      { id: "u2", count: 2 },
      { id: "u1", count: 1 },
    ]);
    expect(s.overdue).toBe(3);
    expect(s.supervised).toBe(1);
    expect(s.departments).toEqual([
      { id: "d1", open: 2, closed: 1 },
      { id: "d2", open: 0, closed: 1 },
    ]);
    expect(s.closed).toBe(2);
    expect(s.closedCapped).toBe(true);
    expect(s.recentClosed.map((x) => x.closedAt)).toEqual(["2026-05-03T00:00:00Z", "2026-05-02T00:00:00Z"]);
  });

  it("use the UTC month the API files closed cases under", () => {
    expect(utcMonth(Date.parse("2026-05-31T20:00:00Z"))).toBe("2026-05");
  });
});

describe("loading the dashboard", () => {
  it("reads at most the allowed pages per list, 4 requests at a time, and flattens case views", async () => {
    const calls: Record<string, unknown>[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const get = async <T,>(_path: string, query: Record<string, string | number>): Promise<T> => {
      calls.push(query);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      const page = query.cursor ? Number(query.cursor) : 0;
      const items = query.state === "reported" ? [{ case: { id: `r${page}`, number: "n", state: "reported", categoryId: "c", unitId: "u" }, allowedActions: [] }] : [];
      // the reported list never ends: the loader must stop on its own
      return { items, nextCursor: query.state === "reported" ? String(page + 1) : null } as T;
    };
    const s = await loadDashboard(get, "2026-05", 3);
    expect(calls.filter((q) => q.state === "reported")).toHaveLength(3);
    expect(calls.filter((q) => q.closedMonth === "2026-05")).toHaveLength(1);
    expect(calls.every((q) => q.limit === PAGE_SIZE)).toBe(true);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(s.byState[0]).toEqual({ state: "reported", count: 3, capped: true });
  });
});

describe("claims per department", () => {
  it("come from the department appraisal results, most claims first, idle departments left out", () => {
    const c = departmentClaims("2026-04", [
      { id: "d1", name: "城管", computedAt: "2026-05-01T01:00:00Z", indicators: { claims: 2, assigned: 5 } },
      { id: "d2", name: "住建", computedAt: "2026-05-01T01:00:02Z", indicators: { claims: 7, assigned: 7 } },
      { id: "d3", name: "水务", indicators: { claims: 0, assigned: 0 } },
    ]);
    expect(c).toEqual({
      period: "2026-04",
      computedAt: "2026-05-01T01:00:02Z",
      rows: [
        { id: "d2", name: "住建", claims: 7, assigned: 7 },
        { id: "d1", name: "城管", claims: 2, assigned: 5 },
      ],
    });
    expect(departmentClaims("2026-04", [])).toBeUndefined();
  });

  it("use this month's results, else last month's, and nothing when appraisals cannot be read", async () => {
    expect(previousMonth("2026-01")).toBe("2025-12");
    expect(previousMonth("2026-11")).toBe("2026-10");
    const asked: unknown[] = [];
    const get = async <T,>(_p: string, q: Record<string, string | number>): Promise<T> => {
      asked.push(q.period);
      return { items: q.period === "2026-04" ? [{ id: "d1", name: "城管", indicators: { claims: 1, assigned: 1 } }] : [], nextCursor: null } as T;
    };
    expect((await loadDepartmentClaims(get, "2026-05"))?.period).toBe("2026-04");
    expect(asked).toEqual(["2026-05", "2026-04"]);
    expect(await loadDepartmentClaims(async () => Promise.reject(new Error("403")), "2026-05")).toBeNull();
  });
});
