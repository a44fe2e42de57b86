import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError, InvalidError } from "../errors.ts";
import { decide } from "./decide.ts";
import { HOUR, T0, people, photo, reportInput, rules } from "./fixtures.ts";
import { TERMINAL_ACTIONS, actorMatches, allowedActions, ruleFor } from "./machine.ts";
import { ACTION_NAMES, Case, CaseState, type ActionName, type Actor, type DecideConfig, type TimerStage } from "./schema.ts";

/**
 * Model-based test: random sequences of actions by random people against one case.
 * The model only knows the version, the state, the counters seen so far and the timer rows a repo
 * would hold after applying each `timers` change; the invariants are checked against it.
 */
type Model = { version: number; state: CaseState; counters: Case["counters"] };
type Real = { c: Case; now: Date; cfg: DecideConfig; timerRows: Map<TimerStage, string>; seen: Set<CaseState> };

/** The model's own idea of which deadline an open state runs on. */
const STAGE: Partial<Record<CaseState, TimerStage>> = {
  reported: "accept",
  accepted: "dispatch",
  claimable: "claim",
  dispatched: "handle",
  in_progress: "handle",
  handled: "verify",
  verified: "evaluate",
};
const ACTOR_NAMES = Object.keys(people) as (keyof typeof people)[];
const ACTIONS = ACTION_NAMES.filter((a) => a !== "report");
const LEVELS = ["very_satisfied", "satisfied", "average", "dissatisfied", "very_dissatisfied"] as const;
const TARGETS = [
  { kind: "department", id: "dept-city" },
  { kind: "department", id: "dept-water" },
  { kind: "unit", id: "comm1" },
  { kind: "unit", id: "grid1" },
] as const;

/** A well-formed payload for the action, varied by `v`. */
function payload(action: ActionName, c: Case, now: Date, v: number): Record<string, unknown> {
  switch (action) {
    case "reject": return { reason: "not a public matter" };
    case "merge": return { intoCaseId: "c-other" };
    case "resolve": return { note: "fixed on the spot", attachments: photo };
    case "dispatch": return { to: TARGETS[v % TARGETS.length], reason: "by the matrix" };
    case "transfer": return { reason: "not ours" };
    case "handle": return { note: "done", attachments: photo };
    case "verify": return { pass: v % 3 !== 0, note: "checked on site" };
    case "evaluate": return { level: LEVELS[v % LEVELS.length] };
    case "mediate": return { outcome: v % 3 === 0 ? "resolved" : "failed", note: "talked to both sides" };
    case "escalate": return { reason: "stuck" };
    case "supervise": return { reason: "complaints" };
    case "extend_request": return { hours: (v % 72) + 1, reason: "parts on order" };
    case "extend_refuse": return { reason: "no" };
    case "defer": return { reason: "season", reviewAt: new Date(now.getTime() + ((v % 200) + 1) * HOUR).toISOString() };
    case "reopen": return { reason: "it is back" };
    case "comment": return { note: "note" };
    case "timeout": return { stage: c.timer?.stage ?? "handle" };
    default: return {};
  }
}

class Act implements fc.Command<Model, Real> {
  readonly pick: { action: ActionName; actor: keyof typeof people } | { plausible: number };
  readonly hours: number;
  readonly v: number;
  constructor(pick: Act["pick"], hours: number, v: number) {
    this.pick = pick;
    this.hours = hours;
    this.v = v;
  }
  check = () => true;
  run(m: Model, r: Real): void {
    r.now = new Date(r.now.getTime() + this.hours * HOUR);
    let action: ActionName;
    let actor: Actor;
    if ("plausible" in this.pick) {
      // something somebody may do now (timers fire when due), so that runs reach deep states
      const due = r.c.timer ? new Date(Math.max(r.now.getTime(), Date.parse(r.c.timer.dueAt))) : r.now;
      // (an action first, then one of the people who may do it: comments would crowd out the rest)
      const options = ACTOR_NAMES.flatMap((n) =>
        allowedActions(r.c, people[n], n === "system" ? due : r.now).map((a) => ({ a, n })),
      );
      // mostly keep going: dead ends and comments only one time in five
      const all = [...new Set(options.map((o) => o.a))];
      const onward = all.filter((a) => !["reject", "merge", "comment"].includes(a));
      const actions = this.v % 5 === 0 || onward.length === 0 ? all : onward;
      if (actions.length === 0) return;
      action = actions[this.pick.plausible % actions.length];
      const who = options.filter((o) => o.a === action);
      const n = who[Math.floor(this.pick.plausible / actions.length) % who.length].n;
      actor = people[n];
      if (n === "system") r.now = due;
    } else {
      action = this.pick.action;
      actor = people[this.pick.actor];
    }
    const before = r.c;
    const frozen = JSON.stringify(before);
    const allowed = allowedActions(before, actor, r.now);
    const input = { action, ...payload(action, before, r.now, this.v) };
    let d;
    try {
      d = decide(before, input, actor, r.now, r.cfg);
    } catch (e) {
      expect(JSON.stringify(before)).toBe(frozen);
      // a reference the payload names was refused (core/case/refs.ts): 400 or 409 naming the field
      if ((e instanceof InvalidError || e instanceof ConflictError) && (e.details as { reason?: string } | undefined)?.reason) {
        expect(allowed).toContain(action);
        expect(["dispatch", "merge"]).toContain(action);
        return;
      }
      // refused exactly when the table says so, and with the right error
      expect(allowed).not.toContain(action);
      // the error the table gives (decide checks in this order): no move from this state, or a precondition, is 409;
      // a role that may never do it, or a person who may not do it to this case, is 403
      const rule = ruleFor(before.state, action);
      const refusal = !rule ? ConflictError : !actorMatches(rule.who, actor) ? ForbiddenError : rule.when && !rule.when.test(before, actor, r.now) ? ConflictError : ForbiddenError;
      expect(e).toBeInstanceOf(refusal);
      expect(JSON.stringify(before)).toBe(frozen);
      return;
    }
    const { next, events, timers } = d;
    expect(allowed).toContain(action);
    expect(JSON.stringify(before)).toBe(frozen); // decide does not mutate its input

    // the state is one of the enum, the case still fits its schema, and the move is in the table
    expect(CaseState.options).toContain(next.state);
    expect(Case.safeParse(next).success).toBe(true);
    const rule = ruleFor(m.state, action)!;
    expect(rule.to).toContain(next.state === m.state ? "same" : next.state);

    // the version strictly increases, one step per decision
    expect(next.version).toBe(m.version + 1);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e).toMatchObject({ at: r.now.toISOString(), version: next.version, from: m.state, to: next.state });

    // terminal states accept nothing but reopen (closed only) and comment
    if (m.state === "closed" || m.state === "rejected") {
      expect(TERMINAL_ACTIONS).toContain(action);
      if (action === "reopen") expect(m.state).toBe("closed");
    }

    // timer rows as a repo would hold them: exactly one for an open case, none for a terminal one
    for (const stage of timers.clear) r.timerRows.delete(stage);
    for (const t of timers.set) r.timerRows.set(t.stage, t.dueAt);
    expect(timers.set.filter((t) => timers.clear.includes(t.stage))).toEqual([]);
    if (next.state === "closed" || next.state === "rejected") {
      expect(r.timerRows.size).toBe(0);
      expect(next.timer).toBeUndefined();
    } else {
      expect(next.owner).toBeDefined();
      expect(next.dueAt).toBeDefined();
      expect([...r.timerRows]).toEqual([[next.timer!.stage, next.timer!.dueAt]]);
      // and it is the timer of the state's stage, unless the case is deferred or left hanging overdue
      const t = next.timer!;
      if (t.stage === "review") expect(next.flags.deferred).toBe(true);
      else if (t.stage === "hang") expect(next.flags.overdue).toBe(true);
      else expect(t.stage).toBe(STAGE[next.state]);
      if (t.stage !== "hang") expect(next.dueAt).toBe(t.dueAt);
    }

    // counters never negative, and the ones that count history never go down
    for (const n of Object.values(next.counters)) expect(n).toBeGreaterThanOrEqual(0);
    for (const k of ["rework", "transfers", "reopens", "mediationLevel"] as const) {
      expect(next.counters[k]).toBeGreaterThanOrEqual(m.counters[k]);
    }

    m.version = next.version;
    m.state = next.state;
    m.counters = next.counters;
    r.c = next;
    r.seen.add(next.state);
  }
  toString(): string {
    const what = "plausible" in this.pick ? `plausible#${this.pick.plausible}` : `${this.pick.action} by ${this.pick.actor}`;
    return `${what} +${this.hours}h v${this.v}`;
  }
}

const hours = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 24, max: 24 * 40 }));
const commands = fc.commands(
  [
    fc.record({ action: fc.constantFrom(...ACTIONS), actor: fc.constantFrom(...ACTOR_NAMES) }).chain((pick) =>
      fc.tuple(hours, fc.nat(1000)).map(([h, v]) => new Act(pick, h, v)),
    ),
    fc.tuple(fc.nat(1000), hours, fc.nat(1000)).map(([k, h, v]) => new Act({ plausible: k }, h, v)),
    fc.tuple(fc.nat(1000), fc.nat(1000)).map(([k, v]) => new Act({ plausible: k }, 0, v)),
  ],
  { maxCommands: 60, size: "medium" },
);

const setup = fc.record({
  reporter: fc.constantFrom("gridWorker", "resident", "hotline", "police", "cityStaff") ,
  isDispute: fc.boolean(),
  urgent: fc.boolean(),
  claimWindow: fc.boolean(),
  responsible: fc.boolean(),
});
const CHANNEL = { gridWorker: "grid_worker", resident: "resident", hotline: "hotline", police: "police", cityStaff: "department" } as const;

describe("the case machine under random use", () => {
  it("keeps its invariants whatever anyone does in any order", () => {
    const seen = new Set<CaseState>();
    fc.assert(
      fc.property(setup, commands, (s, cmds) => {
        const cfg = rules({ claimWindow: s.claimWindow, ...(s.responsible ? {} : { responsibleDepartmentId: undefined }) });
        const input = reportInput({ channel: CHANNEL[s.reporter], isDispute: s.isDispute, urgent: s.urgent });
        const { next, timers } = decide(null, input, people[s.reporter], T0, cfg);
        const real: Real = { c: next, now: T0, cfg, timerRows: new Map(timers.set.map((t) => [t.stage, t.dueAt])), seen };
        seen.add(next.state);
        fc.modelRun(() => ({ model: { version: next.version, state: next.state, counters: next.counters }, real }), cmds);
      }),
      { numRuns: 200 },
    );
    // the generator reaches every state (otherwise the invariants were not tested there)
    expect([...seen].sort()).toEqual([...CaseState.options].sort());
  });
});
