import { describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError } from "../errors.ts";
import { decide } from "./decide.ts";
import { caseIn, people, photo, HOUR } from "./fixtures.ts";
import { OPEN_STATES, TERMINAL_ACTIONS, TRANSITIONS, allowedActions, ruleFor } from "./machine.ts";
import { ACTION_NAMES, CaseState, type Actor, type ActionName, type Case } from "./schema.ts";

/** For an action allowed in a state: an actor that passes its guards, a payload, and the case adjusted for them. */
function goodAttempt(action: ActionName, c0: Case, now: Date): { c: Case; actor: Actor; input: Record<string, unknown>; at: Date } {
  let c = c0;
  let at = now;
  const p = people;
  const pick = (): [Actor, Record<string, unknown>] => {
    switch (action) {
      case "accept": return [p.dispatcher, {}];
      case "reject": return [p.dispatcher, { reason: "not a public matter" }];
      case "merge": return [p.dispatcher, { intoCaseId: "c-0" }];
      case "resolve": return [p.gridWorker, { note: "swept it myself", attachments: photo }];
      case "claim": return [p.housingStaff, {}];
      case "dispatch": return [p.dispatcher, { to: { kind: "department", id: "dept-water" }, reason: "pipes" }];
      case "transfer": return [p.cityStaff, { reason: "not ours" }];
      case "start": return [p.cityStaff, {}];
      case "handle": return [p.cityStaff, { note: "done", attachments: photo }];
      case "verify": return [p.gridWorker, { pass: true }];
      case "evaluate": return [p.gridWorker, { level: "satisfied" }];
      case "mediate":
        c = { ...c, isDispute: true };
        return [p.gridWorker, { outcome: "failed", note: "both sides refused" }];
      case "escalate": return [p.dispatcher, { reason: "stuck" }];
      case "supervise": return [p.supervisor, { reason: "slow" }];
      case "extend_request": return [p.cityStaff, { hours: 24, reason: "parts on order" }];
      case "extend_approve":
      case "extend_refuse":
        c = { ...c, pendingExtension: { hours: 24, reason: "parts", by: { kind: "user", id: "u-city" }, at: now.toISOString() } };
        return [p.dispatcher, action === "extend_refuse" ? { reason: "no" } : {}];
      case "defer": return [p.dispatcher, { reason: "after the rains", reviewAt: new Date(now.getTime() + 48 * HOUR).toISOString() }];
      case "close": return [p.dispatcher, {}];
      case "reopen": return [p.gridWorker, { reason: "garbage is back" }];
      case "comment": return [p.gridWorker, { note: "photo from today", attachments: photo }];
      case "timeout":
        at = c.timer ? new Date(c.timer.dueAt) : now;
        return [p.system, { stage: c.timer?.stage ?? "handle" }];
      case "report": throw new Error("report creates cases");
    }
  };
  const [actor, body] = pick();
  return { c, actor, input: { action, ...body }, at };
}

const everyone = Object.values(people);
const ACTIONS = ACTION_NAMES.filter((a) => a !== "report");

describe("the transition table", () => {
  for (const state of CaseState.options) {
    describe(`in state ${state}`, () => {
      for (const action of ACTIONS) {
        const rule = ruleFor(state, action);
        if (!rule) {
          it(`refuses ${action} to everyone with a conflict`, () => {
            const s = caseIn(state);
            for (const actor of everyone) {
              const e = s.refuse({ action, ...goodAttempt(action, s.c, s.now).input }, actor);
              expect(e).toBeInstanceOf(ConflictError);
              expect((e as ConflictError).details).toMatchObject({ state });
              expect(allowedActions(s.c, actor, s.now)).not.toContain(action);
            }
          });
          continue;
        }
        it(`lets ${rule.who.join("/")} ${action} (→ ${rule.to.join(" | ")})`, () => {
          const s = caseIn(state);
          const { c, actor, input, at } = goodAttempt(action, s.c, s.now);
          expect(allowedActions(c, actor, at)).toContain(action);
          const { next } = decide(c, input, actor, at, s.cfg);
          expect(rule.to).toContain(next.state === state ? "same" : next.state);
        });
        it(`forbids ${action} to an auditor`, () => {
          const s = caseIn(state);
          const { c, input, at } = goodAttempt(action, s.c, s.now);
          expect(() => decide(c, input, people.auditor, at, s.cfg)).toThrow(ForbiddenError);
        });
      }
    });
  }

  it("creates cases only through report", () => {
    expect(ruleFor(null, "report")?.to).toEqual(["reported"]);
    for (const a of ACTIONS) expect(ruleFor(null, a)).toBeUndefined();
    expect(() => decide(caseIn("reported").c, { action: "report" }, people.gridWorker, new Date(), caseIn("reported").cfg)).toThrow();
  });

  it("never lists an action twice for the same state", () => {
    for (const state of CaseState.options) {
      const actions = TRANSITIONS.filter((t) => t.from?.includes(state)).map((t) => t.action);
      expect(new Set(actions).size).toBe(actions.length);
    }
  });

  it("lets terminal states take nothing but reopen and comment", () => {
    for (const state of ["closed", "rejected"] as const) {
      const actions = TRANSITIONS.filter((t) => t.from?.includes(state)).map((t) => t.action);
      expect(actions.every((a) => TERMINAL_ACTIONS.includes(a))).toBe(true);
    }
    expect(ruleFor("rejected", "reopen")).toBeUndefined();
  });

  it("gives every open state a way forward other than comments and timers", () => {
    for (const state of OPEN_STATES) {
      const moves = TRANSITIONS.filter((t) => t.from?.includes(state) && t.to.some((to) => to !== "same"));
      expect(moves.length).toBeGreaterThan(0);
    }
  });

  it("lets a system actor do nothing but fire timers", () => {
    const s = caseIn("dispatched");
    expect(allowedActions(s.c, people.system, s.now)).toEqual([]);
    expect(allowedActions(s.c, people.system, new Date(s.c.timer!.dueAt))).toEqual(["timeout"]);
  });
});
