import * as z from "zod/mini";
import { IdRef, S3_KEY } from "../db/ids.ts";
import { RoleName } from "../auth/roles.ts";
import type { RefCheck, Refs } from "./refs.ts";
import { EVALUATION_LEVELS, MEDIATION_LADDER } from "./levels.ts";

/** Shapes of a case, its actors, the actions on it and what `decide` returns. The repo persists these. */

const Id = z.string().check(z.minLength(1), z.maxLength(128));
const Iso = z.iso.datetime().check(z.maxLength(40));
const Note = z.string().check(z.trim(), z.minLength(1), z.maxLength(2000));

export const CaseState = z.enum([
  "reported", // 已上报: waiting for the center to register it
  "accepted", // 已受理: registered, waiting for dispatch
  "claimable", // 抢单中: offered to candidate departments until the claim window closes
  "dispatched", // 已派发: owned by a department (or a mediating unit), work not started
  "in_progress", // 处置中
  "handled", // 已反馈: the handler reported done, waiting for the grid worker to verify
  "verified", // 已核查: waiting for the evaluation
  "closed", // 已办结 (terminal, may be reopened)
  "rejected", // 不予受理 / merged duplicate (terminal)
]);
export type CaseState = z.infer<typeof CaseState>;

export const TERMINAL_STATES: readonly CaseState[] = ["closed", "rejected"];
export const isTerminal = (s: CaseState): boolean => TERMINAL_STATES.includes(s);

/** The roles of the county (one list for the whole system: core/auth/roles.ts). */
export { RoleName };

export const ActorKind = z.enum(["user", "resident", "system", "api_key"]);
export type ActorKind = z.infer<typeof ActorKind>;

export const Actor = z.object({
  kind: ActorKind,
  id: Id,
  roles: z.array(RoleName),
  departmentId: z.optional(Id),
  /** Materialized path of the actor's unit, e.g. "/county/street/community/grid". */
  unitPath: z.optional(z.string().check(z.startsWith("/"))),
});
export type Actor = z.infer<typeof Actor>;

/** Who did something, as stored on the case and its events. */
export const ActorRef = z.object({ kind: ActorKind, id: Id });
export type ActorRef = z.infer<typeof ActorRef>;

export const Channel = z.enum(["grid_worker", "resident", "hotline", "partner", "police", "department"]);
export type Channel = z.infer<typeof Channel>;

export const Owner = z.object({ kind: z.enum(["unit", "department", "user"]), id: Id });
export type Owner = z.infer<typeof Owner>;

export const Location = z.object({
  lng: z.number().check(z.gte(-180), z.lte(180)),
  lat: z.number().check(z.gte(-90), z.lte(90)),
  address: z.optional(z.string().check(z.maxLength(500))),
});
export type Location = z.infer<typeof Location>;

export const Attachment = z.object({
  /** Object key in the attachments bucket. */
  key: z.string().check(z.minLength(1), z.maxLength(512), z.regex(S3_KEY, "an attachment key from the upload answer")),
  kind: z._default(z.enum(["photo", "voice", "video", "file"]), "photo"),
});
export type Attachment = z.infer<typeof Attachment>;

/** Stages that have a time limit; the caller resolves their durations (working calendar) into dates. */
export const DeadlineStage = z.enum(["accept", "claim", "dispatch", "handle", "verify", "evaluate"]);
export type DeadlineStage = z.infer<typeof DeadlineStage>;

/**
 * Timer stages: the deadline stages, plus `review` (a deferred case's review date) and `hang`
 * (an overdue case left hanging: fires supervision, then reminds every `superviseAfterHours`).
 */
export const TimerStage = z.enum([...DeadlineStage.options, "review", "hang"]);
export type TimerStage = z.infer<typeof TimerStage>;

export const Timer = z.object({ stage: TimerStage, dueAt: Iso });
export type Timer = z.infer<typeof Timer>;

export { MEDIATION_LADDER };
export const MediationLevel = z.enum(MEDIATION_LADDER);
export type MediationLevel = z.infer<typeof MediationLevel>;

export const EvaluationLevel = z.enum(EVALUATION_LEVELS);
export type EvaluationLevel = z.infer<typeof EvaluationLevel>;
/** Levels that close the case; the others return it for rework. */
export const PASSING_LEVELS: readonly EvaluationLevel[] = ["very_satisfied", "satisfied", "average"];

export const Flags = z.object({
  returned: z._default(z.boolean(), false), // in rework after a failed verification or a poor evaluation
  supervised: z._default(z.boolean(), false), // pushed to the efficiency office (督办)
  escalated: z._default(z.boolean(), false), // moved up the mediation ladder or the unit hierarchy
  overdue: z._default(z.boolean(), false), // the current stage's deadline passed
  deferred: z._default(z.boolean(), false), // parked by the center until a review date
});
export type Flags = z.infer<typeof Flags>;

const Count = z.number().check(z.int(), z.gte(0));
export const Counters = z.object({
  rework: Count,
  transfers: Count,
  reopens: Count,
  /** Index into MEDIATION_LADDER. */
  mediationLevel: Count.check(z.lte(MEDIATION_LADDER.length - 1)),
  /** Failed mediation attempts at the current level. */
  mediationAttempts: Count,
});
export type Counters = z.infer<typeof Counters>;

export const Evaluation = z.object({
  level: EvaluationLevel,
  comment: z.optional(z.string().check(z.maxLength(2000))),
  by: ActorRef,
  at: Iso,
  /** Given by the system when nobody evaluated in time. */
  byDefault: z.boolean(),
});
export type Evaluation = z.infer<typeof Evaluation>;

export const Origin = z.object({
  channel: Channel,
  /** Reference in the originating system (police incident number, hotline ticket). */
  ref: z.optional(z.string().check(z.maxLength(128))),
  /** Who forwarded it (e.g. the police information officer). */
  forwardedBy: z.optional(z.string().check(z.maxLength(128))),
  /** A non-police matter diverted from the police channel into the grid flow. */
  diverted: z.optional(z.boolean()),
});
export type Origin = z.infer<typeof Origin>;

export const Case = z.object({
  id: Id,
  number: z.string().check(z.minLength(1), z.maxLength(64)),
  categoryId: Id,
  isDispute: z.boolean(),
  urgent: z.boolean(),
  description: z.string().check(z.minLength(1), z.maxLength(4000)),
  location: Location,
  unitId: Id,
  unitPath: z.string().check(z.startsWith("/")),
  channel: Channel,
  reporter: z.object({ kind: z.enum(["user", "resident", "api_key"]), id: Id }),
  origin: z.optional(Origin),
  state: CaseState,
  flags: Flags,
  /** Who must act now. */
  owner: Owner,
  /** The department or unit the case was last dispatched to; rework returns there. */
  handler: z.optional(Owner),
  candidateDepartments: z.array(Id),
  responsibleDepartmentId: z.optional(Id),
  /** Deadline of each stage the case went through (latest), plus `reopen`: until when it may be reopened. */
  deadlines: z.partialRecord(z.enum([...DeadlineStage.options, "review", "reopen"]), Iso),
  /** Deadline of the current stage (the review date while deferred). Absent in terminal states. */
  dueAt: z.optional(Iso),
  /** The one active timer; absent in terminal states. Mirrors `Decision.timers`. */
  timer: z.optional(Timer),
  counters: Counters,
  evaluation: z.optional(Evaluation),
  rejection: z.optional(z.object({ reason: z.string().check(z.minLength(1), z.maxLength(2000)), mergedInto: z.optional(Id) })),
  pendingExtension: z.optional(z.object({ hours: z.number().check(z.int(), z.positive()), reason: z.string(), by: ActorRef, at: Iso })),
  version: z.number().check(z.int(), z.gte(1)),
  createdAt: Iso,
  updatedAt: Iso,
  closedAt: z.optional(Iso),
});
export type Case = z.infer<typeof Case>;

// ---------------------------------------------------------------- actions

const Attachments = z._default(z.array(Attachment).check(z.maxLength(20)), []);
const act = <A extends string, S extends z.core.$ZodShape>(action: A, shape: S) =>
  z.object({ action: z.literal(action), ...shape });

export const ReportInput = act("report", {
  /** Assigned by the caller (ulid) together with the human-readable number. */
  id: Id,
  number: z.string().check(z.minLength(1), z.maxLength(64)),
  categoryId: Id,
  isDispute: z._default(z.boolean(), false),
  urgent: z._default(z.boolean(), false),
  description: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  location: Location,
  unitId: Id,
  unitPath: z.string().check(z.startsWith("/")),
  channel: Channel,
  origin: z.optional(z.omit(Origin, { channel: true, diverted: true })),
  attachments: Attachments,
});

export const ActionInput = z.discriminatedUnion("action", [
  ReportInput,
  act("accept", { note: z.optional(Note) }),
  act("reject", { reason: Note }),
  act("merge", { intoCaseId: IdRef(128), note: z.optional(Note) }),
  act("resolve", { note: Note, attachments: z.array(Attachment).check(z.minLength(1), z.maxLength(20)) }),
  act("claim", { note: z.optional(Note) }),
  act("dispatch", { to: z.object({ kind: z.enum(["department", "unit"]), id: IdRef(128) }), reason: Note }),
  act("transfer", { reason: Note }),
  act("start", { note: z.optional(Note) }),
  act("handle", { note: Note, attachments: Attachments }),
  act("verify", { pass: z.boolean(), note: z.optional(Note), attachments: Attachments }).check(z.refine((v) => v.pass || v.note !== undefined, { message: "Say what is still wrong", path: ["note"] })),
  act("evaluate", { level: EvaluationLevel, comment: z.optional(z.string().check(z.trim(), z.maxLength(2000))) }),
  act("mediate", { outcome: z.enum(["resolved", "failed"]), note: Note, attachments: Attachments }),
  act("escalate", { reason: Note }),
  act("supervise", { reason: Note }),
  act("extend_request", { hours: z.number().check(z.int(), z.gte(1), z.lte(24 * 90)), reason: Note }),
  act("extend_approve", { note: z.optional(Note) }),
  act("extend_refuse", { reason: Note }),
  act("defer", { reason: Note, reviewAt: Iso }),
  act("close", { note: z.optional(Note) }),
  act("reopen", { reason: Note }),
  act("comment", { note: Note, attachments: Attachments }),
  /** Sent by the timer sweeper. `dueAt`, when given, must match the active timer (stale timers conflict). */
  act("timeout", { stage: TimerStage, dueAt: z.optional(Iso) }),
]);
export type ActionInput = z.infer<typeof ActionInput>;
export type ActionName = ActionInput["action"];
export const ACTION_NAMES = ActionInput.def.options.map((o) => o.shape.action.def.values[0]) as ActionName[];

// ---------------------------------------------------------------- config

/** Per-category rules, resolved by the caller for the case's category. */
export const CaseRules = z.object({
  /** Default evaluation when the reporter does not evaluate in time; always a closing level. */
  defaultEvaluation: z._default(z.enum(["very_satisfied", "satisfied", "average"]), "satisfied"),
  responsibleDepartmentId: z.optional(Id),
  /** Departments offered the case in the claim window. */
  candidateDepartments: z._default(z.array(Id), []),
  claimWindow: z._default(z.boolean(), true),
  claimPoints: z._default(z.number().check(z.gte(0)), 1),
  /** Hours an overdue case may hang before it is pushed to supervision (and between reminders after). */
  superviseAfterHours: z._default(z.number().check(z.positive()), 24),
  reopenWithinDays: z._default(z.number().check(z.positive()), 30),
  /** The category is a police matter: the police channel keeps it (not diverted). */
  policeCategory: z._default(z.boolean(), false),
});
export type CaseRules = z.infer<typeof CaseRules>;

export type DecideConfig = z.input<typeof CaseRules> & {
  /** Absolute deadline of a stage entered at `from` (working calendar applied by the caller). */
  deadlineFor(stage: DeadlineStage, from: Date): Date;
  /** `hours` of working time after `from` on the calendar (extensions); plain hours when absent. */
  addWorkingHours?(from: Date, hours: number): Date;
  /** When a supervision reminder `hours` after `from` is due: on a working day (the calendar's next working moment); plain hours when absent. */
  reminderAt?(from: Date, hours: number): Date;
  /** The departments, units and cases the action refers to, loaded by the service (core/case/refs.ts). */
  refs: Refs;
};

// ---------------------------------------------------------------- output

export const Notify = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("role"), role: RoleName }),
  z.object({ kind: z.literal("owner"), owner: Owner, superior: z.optional(z.boolean()) }),
  z.object({ kind: z.literal("departments"), ids: z.array(Id) }),
  z.object({ kind: z.literal("reporter"), reporter: z.object({ kind: z.string(), id: Id }) }),
]);
export type Notify = z.infer<typeof Notify>;

export const EventType = z.enum([
  "reported",
  "accepted",
  "claim_opened",
  "claimed",
  "claim_expired",
  "dispatched",
  "rejected",
  "merged",
  "resolved",
  "transferred",
  "started",
  "handled",
  "verified",
  "verify_failed",
  "evaluated",
  "returned",
  "mediated",
  "escalated",
  "supervised",
  "supervision_reminder",
  "overdue",
  "extension_requested",
  "extension_approved",
  "extension_refused",
  "deferred",
  "resumed",
  "closed",
  "reopened",
  "commented",
]);
export type EventType = z.infer<typeof EventType>;

/** A timeline entry. Events of one decision share `at` and `version`; `seq` orders them. */
export const CaseEvent = z.object({
  type: EventType,
  action: z.enum(ACTION_NAMES as [ActionName, ...ActionName[]]),
  from: z.nullable(CaseState),
  to: CaseState,
  actor: ActorRef,
  at: Iso,
  version: z.number().check(z.int(), z.gte(1)),
  seq: z.number().check(z.int(), z.gte(0)),
  note: z.optional(z.string()),
  attachments: z.optional(z.array(Attachment)),
  /** Details; `notify` lists who should be told (hints for the notification consumer). */
  data: z.optional(z.record(z.string(), z.unknown())),
});
export type CaseEvent = z.infer<typeof CaseEvent>;

/**
 * Timer rows to write with the case. Apply `clear` then `set`; a stage is never in both
 * (a `set` replaces the row of its stage), so both fit in one transaction.
 */
export const TimerChanges = z.object({ set: z.array(Timer), clear: z.array(TimerStage) });
export type TimerChanges = z.infer<typeof TimerChanges>;

/** `checks`: references the commit re-asserts in the same transaction (still active / still open). */
export type Decision = { next: Case; events: CaseEvent[]; timers: TimerChanges; checks: RefCheck[] };
