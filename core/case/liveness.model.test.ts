import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VisibleError } from "../errors.ts";
import type { Principal } from "../auth/principal.ts";
import { actorFor, canSee } from "./actor.ts";
import { decide } from "./decide.ts";
import { HOUR, T0, rules } from "./fixtures.ts";
import { ladderUnit, rungsOf } from "./ladder.ts";
import { OPEN_STATES, TRANSITIONS, allowedActions } from "./machine.ts";
import { departmentProblem, type Refs } from "./refs.ts";
import { repathCase } from "./repath.ts";
import { ACTION_NAMES, type ActionName, type Actor, type Case, type CaseState } from "./schema.ts";

/**
 * Issue 14, invariants 1 and 2 as a model-based test over a whole small county: units, departments,
 * staff and several cases. Random steps: any action by anyone on any case with real and bogus
 * references, plausible actions (so runs reach deep states), timers firing, deactivating
 * departments, units and users (through the same refusal rules as the services), moving a grid to
 * another community (with the re-path of core/case/repath.ts), new reports. After EVERY step:
 *   1. every open case's owner exists, is active and can own it (department for non-disputes,
 *      a mediating unit of its own path at its rung for disputes, its own unit while verifying,
 *      the root while waiting for the center); a merged case points at a case that exists;
 *   2. every open case has a real actor: an active user who can see it and whose action changes its
 *      state, owner or mediation, or a timer that does (claim window, default evaluation).
 * The coverage of (state × action) pairs reached is printed and must be the whole table.
 */

type Unit = { id: string; path: string; active: boolean; depth: number };
type User = { p: Extract<Principal, { kind: "user" }>; active: boolean };
type World = {
  now: Date;
  units: Map<string, Unit>;
  departments: Map<string, { id: string; active: boolean; unitIds: string[] }>;
  users: Map<string, User>;
  cases: Case[];
  next: number;
};

const UNIT_PATHS = [
  "/county/",
  "/county/street1/",
  "/county/street1/comm1/",
  "/county/street1/comm1/grid1/",
  "/county/street1/comm1/grid1/micro1/",
  "/county/street1/comm1/grid2/",
  "/county/street1/comm2/",
  "/county/street1/comm2/grid3/",
  "/county/street2/",
  "/county/street2/comm3/",
  "/county/street2/comm3/grid4/",
];
const DEPTS = ["dept-city", "dept-housing", "dept-water", "dept-justice"];
const STAFF: Array<[string, string, string, string?]> = [
  // name, role, unit, department
  ["center", "dispatcher", "county"],
  ["center2", "dispatcher", "county"],
  ["supervisor", "supervisor", "county"],
  ["street1", "street_staff", "street1"],
  ["community1", "community_staff", "comm1"],
  ["leader1", "grid_leader", "grid1"],
  ["instructor1", "grid_instructor", "grid1"],
  ["worker1", "grid_worker", "grid1"],
  ["worker2", "grid_worker", "grid2"],
  ["worker4", "grid_worker", "grid4"],
  ["city", "department_staff", "county", "dept-city"],
  ["housing", "department_staff", "county", "dept-housing"],
  ["water", "department_staff", "county", "dept-water"],
  ["justice", "department_staff", "county", "dept-justice"],
];
const RESIDENT: Principal = { kind: "resident", id: "r-1" };
const SYSTEM: Actor = { kind: "system", id: "timers", roles: [] };

function newWorld(): World {
  const units = new Map(UNIT_PATHS.map((path) => {
    const segs = path.split("/").filter(Boolean);
    return [segs.at(-1)!, { id: segs.at(-1)!, path, active: true, depth: segs.length - 1 }];
  }));
  const departments = new Map(DEPTS.map((id) => [id, { id, active: true, unitIds: [] as string[] }]));
  departments.set("dept-street2", { id: "dept-street2", active: true, unitIds: ["street2"] });
  const users = new Map(STAFF.map(([name, role, unitId, departmentId]) => [name, {
    active: true,
    p: { kind: "user" as const, id: `u-${name}`, username: name, assignments: [{ role: role as never, unitId, unitPath: units.get(unitId)!.path, ...(departmentId ? { departmentId } : {}) }] },
  }]));
  return { now: T0, units, departments, users, cases: [], next: 1 };
}

const cfgFor = (c: Pick<Case, "isDispute" | "urgent">) => rules({ claimWindow: !c.isDispute, responsibleDepartmentId: c.isDispute ? "dept-justice" : "dept-city", candidateDepartments: c.isDispute ? [] : ["dept-city", "dept-housing", "dept-street2"] });

/** What the service would load for this caller: the world's departments and units, the cases with their visibility. */
function refsFor(w: World, p: Principal | "system"): Refs {
  return {
    departments: w.departments,
    units: new Map([...w.units].map(([id, u]) => [id, { id, active: u.active, path: u.path }])),
    cases: new Map(w.cases.map((c) => [c.id, { id: c.id, state: c.state, visible: p === "system" || canSee(p, c) }])),
  };
}

/** The service's act: visibility, actor relative to the case, decide with loaded refs. Returns the error or the new case. */
function serviceAct(w: World, c: Case, p: Principal | "system", input: Record<string, unknown>, now = w.now): Case | Error {
  if (p !== "system" && !canSee(p, c)) return new Error("404");
  const actor = p === "system" ? SYSTEM : actorFor(p, c.unitPath);
  try {
    return decide(c, input, actor, now, { ...cfgFor(c), refs: refsFor(w, p) }).next;
  } catch (e) {
    if (e instanceof VisibleError) return e;
    throw e;
  }
}

const activeUsers = (w: World) => [...w.users.values()].filter((u) => u.active);
const isOpen = (c: Case) => OPEN_STATES.includes(c.state);

/** Payloads to try for an action (each target the world offers, for dispatch and merge). */
function payloads(w: World, c: Case, action: ActionName): Record<string, unknown>[] {
  switch (action) {
    case "dispatch":
      return [...[...w.departments.keys()].map((id) => ({ kind: "department", id })), ...c.unitPath.split("/").filter(Boolean).map((id) => ({ kind: "unit", id }))].map((to) => ({ to, reason: "r" }));
    case "merge": return w.cases.filter((o) => o.id !== c.id).map((o) => ({ intoCaseId: o.id }));
    case "reject": case "transfer": case "escalate": case "supervise": case "extend_refuse": case "reopen": return [{ reason: "r" }];
    case "resolve": return [{ note: "n", attachments: [{ key: "k" }] }];
    case "handle": case "comment": return [{ note: "n" }];
    case "verify": return [{ pass: true }, { pass: false, note: "n" }];
    case "evaluate": return [{ level: "satisfied" }, { level: "dissatisfied" }];
    case "mediate": return [{ outcome: "resolved", note: "n" }, { outcome: "failed", note: "n" }];
    case "extend_request": return [{ hours: 8, reason: "r" }];
    case "defer": return [{ reason: "r", reviewAt: new Date(w.now.getTime() + 48 * HOUR).toISOString() }];
    default: return [{}];
  }
}

const moved = (a: Case, b: Case) =>
  a.state !== b.state || a.owner.kind !== b.owner.kind || a.owner.id !== b.owner.id || a.counters.mediationLevel !== b.counters.mediationLevel || a.counters.mediationAttempts !== b.counters.mediationAttempts;

/** Invariant 2: somebody real can move this open case. */
function liveActor(w: World, c: Case): string | undefined {
  if (c.timer && (c.timer.stage === "claim" || c.timer.stage === "evaluate")) return "timer";
  for (const u of activeUsers(w)) {
    if (!canSee(u.p, c)) continue;
    for (const action of allowedActions(c, actorFor(u.p, c.unitPath), w.now)) {
      for (const body of payloads(w, c, action)) {
        const r = serviceAct(w, c, u.p, { ...body, action });
        if (!(r instanceof Error) && moved(c, r)) return `${u.p.username}:${action}`;
      }
    }
  }
  return undefined;
}

/** Invariant 1: the owner (and merge target) of a case are real and able to own it. */
function ownerProblem(w: World, c: Case): string | undefined {
  if (c.rejection?.mergedInto && !w.cases.some((o) => o.id === c.rejection!.mergedInto)) return `merged into unknown ${c.rejection.mergedInto}`;
  if (!isOpen(c)) return undefined;
  const o = c.owner;
  const root = c.unitPath.split("/").filter(Boolean)[0];
  if (["reported", "accepted", "claimable", "verified"].includes(c.state)) return o.kind === "unit" && o.id === root ? undefined : `${c.state} not with the center`;
  if (c.state === "handled") return o.kind === "unit" && o.id === c.unitId ? undefined : "handled not with its grid";
  if (o.kind === "department") return departmentProblem(refsFor(w, "system"), c, o.id);
  if (o.kind !== "unit") return `owned by a ${o.kind}`;
  const u = w.units.get(o.id);
  if (!u || !u.active) return `unit ${o.id} missing or inactive`;
  if (!c.isDispute) return "a unit owns a case that is not a dispute";
  if (!rungsOf(c.unitPath, o.id).includes(c.counters.mediationLevel)) return `unit ${o.id} is not the rung ${c.counters.mediationLevel} of ${c.unitPath}`;
  return undefined;
}

// ------------------------------------------------------------------ steps

const ACTIONS = ACTION_NAMES.filter((a) => a !== "report");
const NAMES = [...STAFF.map((s) => s[0]), "resident", "system"];
const BOGUS_TARGETS = [
  { kind: "department", id: "dept-nope" },
  { kind: "department", id: "dept-street2" },
  { kind: "unit", id: "unit-nope" },
  { kind: "unit", id: "grid4" },
  { kind: "unit", id: "micro1" },
  { kind: "unit", id: "comm1" },
  { kind: "unit", id: "county" },
  { kind: "department", id: "dept-water" },
];

type Step =
  | { t: "act"; i: number; action: ActionName; who: string; v: number; hours: number }
  | { t: "plausible"; i: number; k: number; hours: number }
  | { t: "report"; unit: string; dispute: boolean; urgent: boolean; byWorker?: boolean }
  | { t: "deactivate"; what: "department" | "unit" | "user"; k: number }
  | { t: "move"; grid: "grid2" | "grid3"; to: "comm1" | "comm2" };

const principal = (w: World, who: string): Principal | "system" => (who === "system" ? "system" : who === "resident" ? RESIDENT : w.users.get(who)!.p);

function bodyFor(w: World, c: Case, action: ActionName, v: number): Record<string, unknown> {
  if (action === "dispatch") return { to: BOGUS_TARGETS[v % BOGUS_TARGETS.length], reason: "r" };
  if (action === "merge") return { intoCaseId: [...w.cases.map((o) => o.id), "nonexistent-id"][v % (w.cases.length + 1)] };
  if (action === "timeout") return { stage: c.timer?.stage ?? "handle" };
  const all = payloads(w, c, action);
  return all[v % all.length];
}

type Stats = { pairs: Set<string>; refused: Map<string, number> };

function step(w: World, s: Step, stats: Stats): void {
  if (s.t === "report") {
    const u = w.units.get(s.unit)!;
    if (!u.active) return;
    const id = `c-${w.next++}`;
    // grid worker 1 reports in its own grid (so it may resolve on the spot); residents anywhere
    const worker = w.users.get("worker1")!;
    const byWorker = s.byWorker && worker.active && u.path.startsWith(worker.p.assignments[0].unitPath);
    const reporter = byWorker ? actorFor(worker.p, u.path) : { kind: "resident" as const, id: "r-1", roles: [] };
    const r = decide(null, { action: "report", id, number: id, categoryId: "cat", isDispute: s.dispute, urgent: s.urgent, description: "d", location: { lng: 118, lat: 24 }, unitId: u.id, unitPath: u.path, channel: byWorker ? "grid_worker" : "resident", attachments: [] }, reporter, w.now, { ...cfgFor({ isDispute: s.dispute, urgent: s.urgent }), refs: refsFor(w, "system") });
    w.cases.push(r.next);
    return;
  }
  if (s.t === "deactivate") {
    // the services' refusal rules (core/department, core/unit, core/user)
    if (s.what === "department") {
      const d = [...w.departments.values()][s.k % w.departments.size];
      if (w.cases.some((c) => isOpen(c) && c.owner.kind === "department" && c.owner.id === d.id)) return stats.refused.set("department:open_cases", (stats.refused.get("department:open_cases") ?? 0) + 1), undefined;
      d.active = false;
    } else if (s.what === "unit") {
      const u = [...w.units.values()][s.k % w.units.size];
      const children = [...w.units.values()].some((x) => x.active && x.id !== u.id && x.path.startsWith(u.path));
      const staff = activeUsers(w).some((x) => x.p.assignments.some((a) => a.unitId === u.id));
      const open = w.cases.some((c) => isOpen(c) && c.unitPath.startsWith(u.path));
      if (u.depth === 0 || children || staff || open) return stats.refused.set("unit", (stats.refused.get("unit") ?? 0) + 1), undefined;
      u.active = false;
    } else {
      const u = [...w.users.values()][s.k % w.users.size];
      const dispatcher = u.p.assignments.some((a) => a.role === "dispatcher");
      if (dispatcher && activeUsers(w).filter((x) => x.p.assignments.some((a) => a.role === "dispatcher")).length <= 1) return stats.refused.set("user:last_dispatcher", (stats.refused.get("user:last_dispatcher") ?? 0) + 1), undefined;
      u.active = false;
    }
    return;
  }
  if (s.t === "move") {
    const g = w.units.get(s.grid)!;
    const to = w.units.get(s.to)!;
    if (!g.active || !to.active || g.path.startsWith(to.path)) return;
    const oldPrefix = g.path;
    const newPrefix = `${to.path}${g.id}/`;
    for (const u of w.units.values()) if (u.path.startsWith(oldPrefix)) u.path = newPrefix + u.path.slice(oldPrefix.length);
    for (const u of w.users.values()) for (const a of u.p.assignments) if (a.unitPath.startsWith(oldPrefix)) a.unitPath = newPrefix + a.unitPath.slice(oldPrefix.length);
    w.cases = w.cases.map((c) => repathCase(c, oldPrefix, newPrefix));
    return;
  }
  if (!w.cases.length) return;
  const i = s.i % w.cases.length;
  const c = w.cases[i];
  w.now = new Date(w.now.getTime() + s.hours * HOUR);
  let who: string;
  let input: Record<string, unknown>;
  let at = w.now;
  if (s.t === "plausible") {
    const due = c.timer ? new Date(Math.max(w.now.getTime(), Date.parse(c.timer.dueAt))) : w.now;
    const options = NAMES.flatMap((n) => {
      const p = principal(w, n);
      if (p !== "system" && p.kind === "user" && !w.users.get(n)!.active) return [];
      if (p !== "system" && !canSee(p, c)) return [];
      const actor = p === "system" ? SYSTEM : actorFor(p, c.unitPath);
      return allowedActions(c, actor, p === "system" ? due : w.now).map((a) => ({ a, n }));
    });
    // an action first, then one of the people who may do it (so actions many people may do do not crowd out the rest);
    // dead ends and comments only one time in seven
    const all = [...new Set(options.map((o) => o.a))];
    const onward = all.filter((a) => !["comment", "reject", "merge"].includes(a));
    const actions = s.k % 7 === 0 || !onward.length ? all : onward;
    if (!actions.length) return;
    const action = actions[s.k % actions.length];
    const people = options.filter((o) => o.a === action);
    const pick = people[Math.floor(s.k / actions.length) % people.length];
    who = pick.n;
    if (who === "system") at = w.now = due;
    const bodies = payloads(w, c, pick.a);
    input = { ...(pick.a === "timeout" ? { stage: c.timer!.stage } : bodies[s.k % bodies.length]), action: pick.a };
  } else {
    who = s.who;
    if (who !== "system" && who !== "resident" && !w.users.get(who)!.active) return; // a deactivated user cannot sign in
    input = { ...bodyFor(w, c, s.action, s.v), action: s.action };
  }
  const r = serviceAct(w, c, principal(w, who), input, at);
  if (r instanceof Error) return;
  stats.pairs.add(`${c.state}×${String(input.action)}`);
  w.cases[i] = r;
}

function checkInvariants(w: World, trace: Step[]): void {
  for (const c of w.cases) {
    const problem = ownerProblem(w, c);
    if (problem) throw new Error(`invariant 1 broken for ${c.id} (${c.state}, owner ${JSON.stringify(c.owner)}): ${problem}\nafter ${JSON.stringify(trace.at(-1))}`);
    if (isOpen(c) && !liveActor(w, c)) throw new Error(`invariant 2 broken: nobody can move ${c.id} (${c.state}, owner ${JSON.stringify(c.owner)}, ${c.unitPath})\nafter ${JSON.stringify(trace.at(-1))}`);
  }
}

const hours = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 24, max: 24 * 40 }));
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant("act" as const), i: fc.nat(20), action: fc.constantFrom(...ACTIONS), who: fc.constantFrom(...NAMES), v: fc.nat(1000), hours }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("plausible" as const), i: fc.nat(20), k: fc.nat(1000), hours }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant("plausible" as const), i: fc.nat(20), k: fc.nat(1000), hours: fc.constant(0) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("report" as const), unit: fc.constantFrom("grid1", "micro1", "grid2", "grid3", "grid4", "comm2"), dispute: fc.boolean(), urgent: fc.boolean(), byWorker: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("deactivate" as const), what: fc.constantFrom("department" as const, "unit" as const, "user" as const), k: fc.nat(100) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("move" as const), grid: fc.constantFrom("grid2" as const, "grid3" as const), to: fc.constantFrom("comm1" as const, "comm2" as const) }) },
);
const start = fc.array(fc.record({ unit: fc.constantFrom("grid1", "micro1", "grid2", "grid4"), dispute: fc.boolean(), urgent: fc.boolean(), byWorker: fc.boolean() }), { minLength: 1, maxLength: 3 });

describe("a county under random use (issue 14 invariants)", () => {
  it("never strands, loses or mis-routes a case: every owner is real and every open case has a real actor, after every step", () => {
    const stats: Stats = { pairs: new Set(), refused: new Map() };
    let steps = 0;
    fc.assert(
      fc.property(start, fc.array(stepArb, { minLength: 20, maxLength: 150 }), (first, steps_) => {
        const w = newWorld();
        const trace: Step[] = [];
        for (const r of first) step(w, { t: "report", ...r }, stats);
        for (const s of steps_) {
          trace.push(s);
          step(w, s, stats);
          checkInvariants(w, trace);
          steps++;
        }
      }),
      { numRuns: Number(process.env.MODEL_RUNS ?? 300), seed: Number(process.env.MODEL_SEED ?? 14) },
    );
    // coverage: every (state, action) pair of the table was reached by a successful decision
    const table = new Set(TRANSITIONS.filter((t) => t.from).flatMap((t) => t.from!.map((s) => `${s}×${t.action}`)));
    const missing = [...table].filter((p) => !stats.pairs.has(p));
    const states = [...new Set(TRANSITIONS.flatMap((t) => t.from ?? []))] as CaseState[];
    const rows = states.map((s) => `${s.padEnd(12)} ${ACTIONS.filter((a) => table.has(`${s}×${a}`)).map((a) => (stats.pairs.has(`${s}×${a}`) ? a : `(${a})`)).join(" ")}`);
    console.log(`[model] ${steps} steps; state×action pairs reached ${table.size - missing.length}/${table.size}; refusals by guard ${JSON.stringify(Object.fromEntries(stats.refused))}\n${rows.join("\n")}`);
    expect(missing).toEqual([]);
  });

  it("re-paths a moved case so its mediating owner is the unit of the same rung on the new path", () => {
    const w = newWorld();
    step(w, { t: "report", unit: "grid2", dispute: true, urgent: false }, { pairs: new Set(), refused: new Map() });
    let c = w.cases[0];
    c = decide(c, { action: "accept" }, actorFor(w.users.get("center")!.p, c.unitPath), w.now, { ...cfgFor(c), refs: refsFor(w, "system") }).next;
    for (let i = 0; i < 2; i++) c = decide(c, { action: "escalate", reason: "r" }, actorFor(w.users.get("center")!.p, c.unitPath), w.now, { ...cfgFor(c), refs: refsFor(w, "system") }).next;
    expect(c.owner).toEqual({ kind: "unit", id: "comm1" });
    const moved = repathCase(c, "/county/street1/comm1/grid2/", "/county/street1/comm2/grid2/");
    expect(moved).toMatchObject({ unitPath: "/county/street1/comm2/grid2/", owner: { kind: "unit", id: "comm2" }, counters: { mediationLevel: 2 } });
    expect(ladderUnit(moved.unitPath, 2)).toBe("comm2");
  });
});
