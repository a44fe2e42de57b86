/**
 * The case desk as data (pure, no React): the queues and their API filters, list and page records,
 * the form of every action and the body it sends, and time left until a deadline.
 * Shapes follow core/case/schema.ts, core/case/view.ts (`CaseView`) and core/case/read.ts (`CaseQuery`).
 */
import type { RaRecord } from "react-admin";

// ------------------------------------------------------------------ queues

/** The desk's queues, in tab order. */
export const QUEUES = ["to_accept", "claimable", "mine", "reported", "overdue", "supervised", "to_verify", "all"] as const;
export type Queue = (typeof QUEUES)[number];

/** What each queue asks `GET /v1/cases` for. `mine` is "dispatched to my department" for department staff. */
export const QUEUE_PARAMS: Record<Queue, Record<string, string>> = {
  to_accept: { state: "reported" },
  claimable: { state: "claimable" },
  mine: { mine: "true" },
  reported: { reportedByMe: "true" },
  overdue: { overdue: "true" },
  supervised: { supervised: "true" },
  to_verify: { state: "handled" },
  all: {},
};

export const isQueue = (q: unknown): q is Queue => typeof q === "string" && (QUEUES as readonly string[]).includes(q);

/** The queue a person lands on: their department's cases, the center's intake, or everything. */
export function defaultQueue(roles: readonly string[]): Queue {
  return workQueues(roles)[0];
}

/**
 * The queues where a role's work is, most pressing first: the desk opens on the first of them that
 * has a case (see `pickQueue`), else on the first. A grid worker verifies, then follows what is
 * theirs, then what they reported.
 */
export function workQueues(roles: readonly string[]): Queue[] {
  if (roles.includes("department_staff")) return ["mine", "claimable"];
  if (roles.some((r) => r === "dispatcher" || r === "street_staff" || r === "community_staff")) return ["to_accept", "overdue", "supervised"];
  if (roles.includes("supervisor")) return ["supervised", "overdue"];
  if (roles.some((r) => r === "grid_worker" || r === "grid_leader")) return ["to_verify", "mine", "reported"];
  return ["all"];
}

/** The first queue with work (`hasWork[i]` for `queues[i]`), else the first queue. */
export function pickQueue(queues: readonly Queue[], hasWork: readonly boolean[]): Queue {
  return queues[hasWork.findIndex(Boolean)] ?? queues[0] ?? "all";
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A day (YYYY-MM-DD, as a date input gives it) → the ISO instant it starts in the browser's time zone; `end` → the next day's start. */
export function dayToIso(day: unknown, end = false): string | undefined {
  if (typeof day !== "string" || !day) return undefined;
  const m = DAY.exec(day);
  if (!m) {
    const t = Date.parse(day);
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (end ? 1 : 0));
  return d.toISOString();
}

/**
 * The list's filter values → `GET /v1/cases` query. The queue's own parameters win over the
 * optional state filter; `from`/`to` are whole days (to inclusive).
 */
export function caseQuery(filter: Record<string, unknown> | undefined): Record<string, string> {
  const f = filter ?? {};
  const out: Record<string, string> = {};
  const str = (v: unknown) => (typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : "");
  for (const k of ["state", "unitId", "categoryId", "ownerDepartment", "urgent", "closedMonth"]) {
    const v = str(f[k]);
    if (v) out[k] = v;
  }
  const from = dayToIso(f.from);
  const to = dayToIso(f.to, true);
  if (from) out.from = from;
  if (to) out.to = to;
  if (isQueue(f.queue)) Object.assign(out, QUEUE_PARAMS[f.queue]);
  return out;
}

// ------------------------------------------------------------------ records

export interface TimelineEvent {
  id?: string;
  type: string;
  action: string;
  from: string | null;
  to: string;
  actor: { kind: string; id: string };
  at: string;
  version: number;
  seq: number;
  note?: string;
  attachments?: { key: string; kind?: string }[];
  data?: Record<string, unknown>;
}

export interface CaseRecord extends RaRecord {
  id: string;
  number: string;
  state: string;
  categoryId: string;
  unitId: string;
  description: string;
  location: { lng: number; lat: number; address?: string };
  owner: { kind: string; id: string };
  flags: Record<string, boolean>;
  dueAt?: string;
  allowedActions: string[];
  timeline?: TimelineEvent[];
  possibleDuplicates?: { id: string; number: string; state: string; distanceMeters: number; createdAt: string }[];
  /** years a deadline falls in without official holiday data (`warnings` of the case answer) */
  warnings?: { code: string; year: number; field?: string; message: string }[];
}

/** `{case, allowedActions, timeline?}` (what the API returns) → one react-admin record (id = case.id). */
export function caseRecord(view: unknown): CaseRecord {
  const v = (view ?? {}) as { case?: Record<string, unknown>; allowedActions?: string[]; timeline?: TimelineEvent[]; possibleDuplicates?: CaseRecord["possibleDuplicates"]; warnings?: CaseRecord["warnings"] };
  if (!v.case) return view as CaseRecord; // already flat
  const out = { ...v.case, id: String(v.case.id), allowedActions: v.allowedActions ?? [] } as CaseRecord;
  if (v.timeline) out.timeline = v.timeline;
  if (v.possibleDuplicates) out.possibleDuplicates = v.possibleDuplicates;
  if (v.warnings?.length) out.warnings = v.warnings;
  return out;
}

/** Every attachment on the timeline, oldest first, with the event it came with. */
export function timelineAttachments(timeline: readonly TimelineEvent[] | undefined): { key: string; kind: string; event: TimelineEvent }[] {
  const out: { key: string; kind: string; event: TimelineEvent }[] = [];
  const seen = new Set<string>();
  for (const e of timeline ?? []) {
    for (const a of e.attachments ?? []) {
      if (seen.has(a.key)) continue;
      seen.add(a.key);
      out.push({ key: a.key, kind: a.kind ?? "photo", event: e });
    }
  }
  return out;
}

// ------------------------------------------------------------------ time left

export interface TimeLeft {
  overdue: boolean;
  days: number;
  hours: number;
  minutes: number;
  /** whole milliseconds left (negative when overdue) */
  ms: number;
}

/** Time from `now` until `dueAt` (or since it, when overdue), in whole minutes. */
export function timeLeft(dueAt: string | undefined, now: number): TimeLeft | undefined {
  if (!dueAt) return undefined;
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return undefined;
  const ms = due - now;
  const total = Math.floor(Math.abs(ms) / 60_000);
  return { overdue: ms < 0, days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60, ms };
}

// ------------------------------------------------------------------ actions

/** Actions in the order the page shows them (the main way forward first). */
export const ACTION_ORDER = [
  "accept",
  "claim",
  "dispatch",
  "start",
  "handle",
  "verify",
  "evaluate",
  "mediate",
  "resolve",
  "close",
  "extend_request",
  "extend_approve",
  "extend_refuse",
  "transfer",
  "escalate",
  "supervise",
  "defer",
  "merge",
  "reject",
  "reopen",
  "comment",
] as const;
export type CaseAction = (typeof ACTION_ORDER)[number];

export const EVALUATION_LEVELS = ["very_satisfied", "satisfied", "average", "dissatisfied", "very_dissatisfied"] as const;
export const MEDIATION_OUTCOMES = ["resolved", "failed"] as const;

export type FieldKind = "note" | "comment" | "hours" | "datetime" | "level" | "outcome" | "pass" | "target" | "case" | "attachments";

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  required?: boolean;
}

export interface ActionForm {
  fields: FieldSpec[];
  /** button color */
  tone: "primary" | "secondary" | "error" | "warning" | "success";
  /** the tag of photos uploaded with it */
  tag?: "before" | "after" | "handling" | "verification" | "other";
}

const note = (name: string, required = false): FieldSpec => ({ name, kind: "note", required });
const photos = (required = false): FieldSpec => ({ name: "attachments", kind: "attachments", required });

/** The form of each action, as `core/case/schema.ts` ActionInput defines its body. */
export const ACTION_FORMS: Record<CaseAction, ActionForm> = {
  accept: { fields: [note("note")], tone: "primary" },
  reject: { fields: [note("reason", true)], tone: "error" },
  merge: { fields: [{ name: "intoCaseId", kind: "case", required: true }, note("note")], tone: "warning" },
  resolve: { fields: [note("note", true), photos(true)], tone: "success", tag: "after" },
  claim: { fields: [note("note")], tone: "primary" },
  dispatch: { fields: [{ name: "to", kind: "target", required: true }, note("reason", true)], tone: "primary" },
  transfer: { fields: [note("reason", true)], tone: "warning" },
  start: { fields: [note("note")], tone: "primary" },
  handle: { fields: [note("note", true), photos()], tone: "success", tag: "handling" },
  verify: { fields: [{ name: "pass", kind: "pass", required: true }, note("note"), photos()], tone: "success", tag: "verification" },
  evaluate: { fields: [{ name: "level", kind: "level", required: true }, { name: "comment", kind: "comment" }], tone: "success" },
  mediate: { fields: [{ name: "outcome", kind: "outcome", required: true }, note("note", true), photos()], tone: "primary", tag: "handling" },
  escalate: { fields: [note("reason", true)], tone: "warning" },
  supervise: { fields: [note("reason", true)], tone: "warning" },
  extend_request: { fields: [{ name: "hours", kind: "hours", required: true }, note("reason", true)], tone: "secondary" },
  extend_approve: { fields: [note("note")], tone: "secondary" },
  extend_refuse: { fields: [note("reason", true)], tone: "warning" },
  defer: { fields: [note("reason", true), { name: "reviewAt", kind: "datetime", required: true }], tone: "secondary" },
  close: { fields: [note("note")], tone: "success" },
  reopen: { fields: [note("reason", true)], tone: "warning" },
  comment: { fields: [note("note", true), photos()], tone: "secondary", tag: "other" },
};

export const isCaseAction = (a: string): a is CaseAction => (ACTION_ORDER as readonly string[]).includes(a);

/** The actions to show: those the API allows this caller now, in page order (unknown ones dropped). */
export function visibleActions(allowed: readonly string[] | undefined): CaseAction[] {
  const set = new Set(allowed ?? []);
  return ACTION_ORDER.filter((a) => set.has(a));
}

/** A `datetime-local` value (local time, no zone) → ISO instant. */
export function localToIso(v: unknown): string | undefined {
  if (typeof v !== "string" || !v) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * The form's values → the action's body: empty texts dropped, hours as a number, the review date
 * as ISO, `pass` as a boolean, the dispatch target as `{kind, id}`, uploaded photos as `attachments`.
 */
export function actionBody(action: CaseAction, values: Record<string, unknown>, attachments: { key: string; kind?: string }[] = []): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of ACTION_FORMS[action].fields) {
    const v = values[f.name];
    switch (f.kind) {
      case "note":
      case "comment":
      case "case":
      case "level":
      case "outcome": {
        const s = typeof v === "string" ? v.trim() : "";
        if (s) body[f.name] = s;
        break;
      }
      case "hours":
        if (v !== undefined && v !== null && v !== "") body[f.name] = Number(v);
        break;
      case "datetime": {
        const iso = localToIso(v);
        if (iso) body[f.name] = iso;
        break;
      }
      case "pass":
        body[f.name] = v === true || v === "true" || v === undefined;
        break;
      case "target": {
        const t = (v ?? {}) as { kind?: string; id?: string };
        if (t.kind && t.id) body[f.name] = { kind: t.kind, id: t.id };
        break;
      }
      case "attachments":
        if (attachments.length) body.attachments = attachments.map((a) => ({ key: a.key, kind: a.kind ?? "photo" }));
        break;
    }
  }
  return body;
}

/** Default values of an action's form. */
export function actionDefaults(action: CaseAction): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of ACTION_FORMS[action].fields) {
    if (f.kind === "pass") out[f.name] = true;
    if (f.kind === "target") out[f.name] = { kind: "department" };
    if (f.kind === "level") out[f.name] = "satisfied";
  }
  return out;
}
