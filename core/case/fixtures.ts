/** Test fixtures for the case machine: a county, its people, category rules and a story runner. */
import { decide } from "./decide.ts";
import type { Actor, Case, CaseState, DeadlineStage, DecideConfig, Decision } from "./schema.ts";
import type { Refs } from "./refs.ts";

const GRID_PATH_ = "/county/street1/comm1/grid1";

export const T0 = new Date("2025-03-03T01:00:00.000Z");
export const HOUR = 3_600_000;

/** Stage durations in plain hours (the real caller applies the working calendar). */
export const STAGE_HOURS: Record<DeadlineStage, number> = { accept: 2, claim: 1, dispatch: 4, handle: 72, verify: 24, evaluate: 72 };

const dept = (id: string, active = true): [string, { id: string; active: boolean; unitIds: string[] }] => [id, { id, active, unitIds: [] }];
const unit = (path: string, active = true) => {
  const id = path.split("/").filter(Boolean).at(-1)!;
  return [id, { id, active, path: path + "/" }] as const;
};
/** The fixture county's departments, units and other cases, as the service would load them. */
export const world: Refs = {
  departments: new Map([dept("dept-city"), dept("dept-housing"), dept("dept-water"), dept("dept-justice"), dept("dept-closed", false)]),
  units: new Map([unit("/county"), unit("/county/street1"), unit("/county/street1/comm1"), unit(GRID_PATH_), unit("/county/street1/comm1/grid2"), unit("/county/street1/comm1/grid9", false)]),
  cases: new Map([
    ["c-0", { id: "c-0", state: "dispatched", visible: true }],
    ["c-other", { id: "c-other", state: "reported", visible: true }],
    ["c-closed", { id: "c-closed", state: "closed", visible: true }],
  ]),
};

export const rules = (over: Partial<DecideConfig> = {}): DecideConfig => ({
  refs: world,
  deadlineFor: (stage, from) => new Date(from.getTime() + STAGE_HOURS[stage] * HOUR),
  responsibleDepartmentId: "dept-city",
  candidateDepartments: ["dept-city", "dept-housing"],
  claimWindow: true,
  superviseAfterHours: 24,
  ...over,
});

export const GRID_PATH = "/county/street1/comm1/grid1";

const user = (id: string, roles: Actor["roles"], extra: Partial<Actor> = {}): Actor => ({ kind: "user", id, roles, ...extra });
export const people = {
  gridWorker: user("u-gw", ["grid_worker"], { unitPath: GRID_PATH }),
  otherGridWorker: user("u-gw2", ["grid_worker"], { unitPath: "/county/street1/comm1/grid2" }),
  gridLeader: user("u-gl", ["grid_leader"], { unitPath: GRID_PATH }),
  instructor: user("u-gi", ["grid_instructor"], { unitPath: GRID_PATH }),
  communityStaff: user("u-cs", ["community_staff"], { unitPath: "/county/street1/comm1" }),
  streetStaff: user("u-ss", ["street_staff"], { unitPath: "/county/street1" }),
  dispatcher: user("u-dc", ["dispatcher"], { unitPath: "/county" }),
  supervisor: user("u-sv", ["supervisor"], { unitPath: "/county" }),
  admin: user("u-ad", ["county_admin"], { unitPath: "/county" }),
  auditor: user("u-au", ["auditor"], { unitPath: "/county" }),
  cityStaff: user("u-city", ["department_staff"], { departmentId: "dept-city" }),
  housingStaff: user("u-housing", ["department_staff"], { departmentId: "dept-housing" }),
  waterStaff: user("u-water", ["department_staff"], { departmentId: "dept-water" }),
  justiceStaff: user("u-justice", ["department_staff"], { departmentId: "dept-justice" }),
  resident: { kind: "resident", id: "r-1", roles: [] } as Actor,
  otherResident: { kind: "resident", id: "r-2", roles: [] } as Actor,
  hotline: { kind: "api_key", id: "key-hotline", roles: [] } as Actor,
  police: { kind: "api_key", id: "key-police", roles: [] } as Actor,
  system: { kind: "system", id: "timers", roles: [] } as Actor,
} satisfies Record<string, Actor>;

export const reportInput = (over: Record<string, unknown> = {}) => ({
  action: "report",
  id: "c-1",
  number: "2025-000001",
  categoryId: "cat-litter",
  description: "Garbage piled at the east gate",
  location: { lng: 118.08, lat: 24.48 },
  unitId: "grid1",
  unitPath: GRID_PATH,
  channel: "grid_worker",
  attachments: [{ key: "cases/c-1/gate.jpg" }],
  ...over,
});

export const photo = [{ key: "cases/c-1/after.jpg" }];

/** Runs a case through actions, keeping the clock, the case and every decision. */
export class Story {
  c: Case;
  now: Date;
  cfg: DecideConfig;
  log: Decision[] = [];
  constructor(opts: { report?: Record<string, unknown>; by?: Actor; cfg?: Partial<DecideConfig>; now?: Date } = {}) {
    this.now = opts.now ?? T0;
    this.cfg = rules(opts.cfg);
    const d = decide(null, reportInput(opts.report), opts.by ?? people.gridWorker, this.now, this.cfg);
    this.log.push(d);
    this.c = d.next;
  }
  /** Act `hours` after the previous step. */
  act(input: Record<string, unknown>, actor: Actor, hours = 0): Decision {
    this.now = new Date(this.now.getTime() + hours * HOUR);
    const d = decide(this.c, input, actor, this.now, this.cfg);
    this.log.push(d);
    this.c = d.next;
    return d;
  }
  /** Let the active timer fire. */
  fire(): Decision {
    const t = this.c.timer!;
    if (Date.parse(t.dueAt) > this.now.getTime()) this.now = new Date(t.dueAt);
    const d = decide(this.c, { action: "timeout", stage: t.stage, dueAt: t.dueAt }, people.system, this.now, this.cfg);
    this.log.push(d);
    this.c = d.next;
    return d;
  }
  /** The error an action throws (and the case stays as it was). */
  refuse(input: Record<string, unknown>, actor: Actor, hours = 0): Error {
    const at = new Date(this.now.getTime() + hours * HOUR);
    try {
      decide(this.c, input, actor, at, this.cfg);
    } catch (e) {
      return e as Error;
    }
    throw new Error(`expected ${String(input.action)} to be refused`);
  }
  get events() {
    return this.log.flatMap((d) => d.events);
  }
}

/** A case brought to `state` by the usual path (no claim window unless the state needs it). */
export function caseIn(state: CaseState, opts: { report?: Record<string, unknown> } = {}): Story {
  const s = new Story({ report: opts.report, cfg: { claimWindow: state === "claimable" } });
  if (state === "reported") return s;
  if (state === "rejected") return s.act({ action: "reject", reason: "not in our county" }, people.dispatcher), s;
  s.act({ action: "accept" }, people.dispatcher);
  if (state === "accepted" || state === "claimable") return s;
  s.act({ action: "dispatch", to: { kind: "department", id: "dept-city" }, reason: "city appearance" }, people.dispatcher);
  if (state === "dispatched") return s;
  s.act({ action: "start" }, people.cityStaff, 1);
  if (state === "in_progress") return s;
  s.act({ action: "handle", note: "cleared", attachments: photo }, people.cityStaff, 2);
  if (state === "handled") return s;
  s.act({ action: "verify", pass: true, attachments: photo }, people.gridWorker, 1);
  if (state === "verified") return s;
  s.act({ action: "close" }, people.dispatcher, 1);
  return s;
}
