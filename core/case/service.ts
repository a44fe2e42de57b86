import { residentCase, residentEvent } from "./public.ts";
import { ulid } from "ulid";
import * as z from "zod/mini";
import { Cursor, IdFilter, IdRef } from "../db/ids.ts";
import { keys } from "../db/keys.ts";
import { strip } from "../db/items.ts";
import { Filters, queryPage, type Page } from "../db/page.ts";
import { queryPathPage } from "../unit/paths-query.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, UnavailableError } from "../errors.ts";
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { distanceMeters } from "../geo/measure.ts";
import { getUnit, getUnits } from "../unit/repo.ts";
import { cachedDepartments, forgetCachedDepartments } from "../department/repo.ts";
import { locatePoint } from "../unit/locate.ts";
import { asCrs, pointInput, stored, type Crs } from "../geo/crs.ts";
import { publishEvents } from "../outbox/publish.ts";
import { parse } from "../validate.ts";
import { requireChannelGrant } from "../apikey/service.ts";
import { isCategoryGroup } from "../category/service.ts";
import { openCasesNewestFirst } from "./newest.ts";
import { confirmAttachments } from "../attachment/presign.ts";
import { actorFor, canSee } from "./actor.ts";
import { CASE_CONFIG, caseConfig } from "./config.ts";
import { readWithConfig } from "../config/repo.ts";
import { decide } from "./decide.ts";
import { allowedActions } from "./machine.ts";
import { allocateNumber, caseWithTimeline, casesOfReporter, commitDecision, DUPLICATE_RADIUS_M, DUPLICATE_WINDOW_H, getCase, getCases, getCasesWithConfig, getCaseWithConfig, getIdempotency, nearRowsAt, timeline, type DomainEvent } from "./repo.ts";
import { idsFor, type Refs } from "./refs.ts";
import type { Actor, Decision } from "./schema.ts";
import { ACTION_NAMES, Attachment, Channel, Location, isTerminal, type ActionName, type Case } from "./schema.ts";

const IDEMPOTENCY_SECONDS = 24 * 3600;
const IdemKey = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[\w.:-]+$/, "letters, digits and _ . : - only"));

export const ReportRequest = z.object({
  categoryId: IdRef(40),
  description: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  /** `{lng, lat, crs?, address?}`: converted to WGS84 (core/geo/crs.ts) before locating and storing */
  location: pointInput({ address: Location.shape.address }),
  /** resolved from the location when omitted */
  unitId: z.optional(IdRef(40)),
  urgent: z.optional(z.boolean()),
  channel: z.optional(Channel),
  origin: z.optional(z.object({ ref: z.optional(z.string().check(z.maxLength(128))), forwardedBy: z.optional(z.string().check(z.maxLength(128))) })),
  attachments: z._default(z.array(Attachment).check(z.maxLength(20)), []),
});

export interface CaseView {
  case: Case;
  allowedActions: ActionName[];
  timeline?: DomainEvent[];
  possibleDuplicates?: Array<{ id: string; number: string; state: string; distanceMeters: number; createdAt: string }>;
  replayed?: boolean;
}

function defaultChannel(p: Principal): z.infer<typeof Channel> {
  if (p.kind === "resident") return "resident";
  if (p.kind === "api_key") return "partner";
  if (p.kind === "user") {
    const roles = p.assignments.map((a) => a.role);
    if (roles.includes("grid_worker") || roles.includes("grid_leader")) return "grid_worker";
    if (roles.includes("department_staff")) return "department";
  }
  return "hotline";
}

function idem(p: Principal, key: string | undefined) {
  if (key === undefined) return undefined;
  return { callerId: `${p.kind}:${p.id}`, key: parse(IdemKey, key, "Idempotency-Key header") };
}

/** A case view with its location in the system the caller asked for (`?crs=`, or the report's own `location.crs`). */
export function inCrs<V extends { case: Case }>(v: V, crs: Crs | undefined): V {
  return !crs || crs === "wgs84" ? v : { ...v, case: { ...v.case, location: asCrs(v.case.location, crs) } };
}

export function view(p: Principal, c: Case, now: Date, extra: Partial<CaseView> = {}): CaseView {
  // residents see the public fields of their own cases (an allow-list, core/case/public.ts), never what staff wrote
  const shown = p.kind === "resident" ? (residentCase(c) as unknown as Case) : c;
  return { case: shown, allowedActions: p.kind === "system" ? [] : allowedActions(c, actorFor(p, c.unitPath), now), ...extra };
}

/** Report a new case (any channel). With an Idempotency-Key a retry returns the original case. */
export async function reportCase(p: Principal, input: unknown, now: Date, idempotencyKey?: string): Promise<CaseView> {
  const data = parse(ReportRequest, input, "report");
  requireChannelGrant(p, data.channel); // police/hotline only for keys granted them (403 naming `channel`)
  await readWithConfig([], CASE_CONFIG, now); // the container's configuration, in one read only when some is due (#16)
  if (await isCategoryGroup(data.categoryId)) {
    throw new InvalidError("Report under a specific category, not a group of categories", { fields: [{ path: "categoryId", message: "has sub-categories: choose one of them" }] });
  }
  const idemRef = idem(p, idempotencyKey);
  if (idemRef) {
    const prior = await getIdempotency(idemRef.callerId, idemRef.key);
    if (prior) return replay(p, prior.caseId, now);
  }
  const unit = data.unitId ? await getUnit(data.unitId) : (await locatePoint(data.location.lng, data.location.lat))?.unit;
  if (!unit || !unit.active) {
    throw new InvalidError(data.unitId ? "Unknown or inactive unit" : "The location is outside every active grid of the county; give a unitId", {
      fields: [{ path: data.unitId ? "unitId" : "location", message: "no active unit" }],
    });
  }
  if (p.kind === "user" || p.kind === "api_key") {
    if (!inScopes(unit.path, scopesFor(p, "cases:report"))) throw new ForbiddenError("You may only report cases in your part of the hierarchy");
  }
  await confirmAttachments(data.attachments, [`uploads/${p.kind}-${p.id}/`]);
  const config = await caseConfig(data.categoryId, unit.path);
  const id = ulid(now.getTime());
  const number = await allocateNumber(String(localYear(now, config.timeZone)));
  const actor = actorFor(p, unit.path);
  const decision = decide(
    null,
    {
      action: "report",
      id,
      number,
      categoryId: data.categoryId,
      isDispute: config.isDispute,
      urgent: data.urgent ?? config.urgent,
      description: data.description,
      location: stored(data.location),
      unitId: unit.id,
      unitPath: unit.path,
      channel: data.channel ?? defaultChannel(p),
      origin: data.origin,
      attachments: data.attachments,
    },
    actor,
    now,
    config,
  );
  let events: DomainEvent[];
  try {
    events = await commitDecision(null, decision, idemRef ? { idempotency: { ...idemRef, expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_SECONDS } } : {});
  } catch (e) {
    // a concurrent request with the same Idempotency-Key won: answer with its case
    if (idemRef && (e instanceof ConflictError || e instanceof UnavailableError)) {
      const prior = await waitForIdempotency(idemRef.callerId, idemRef.key);
      if (prior) return replay(p, prior.caseId, now);
    }
    throw e;
  }
  await publishEvents(events);
  const possibleDuplicates = await duplicatesNear(decision.next, now);
  return view(p, decision.next, now, { possibleDuplicates });
}

async function waitForIdempotency(callerId: string, key: string) {
  for (let i = 0; i < 20; i++) {
    const prior = await getIdempotency(callerId, key);
    if (prior) return prior;
    await new Promise((r) => setTimeout(r, 25 * (i + 1)));
  }
  return undefined;
}

async function replay(p: Principal, caseId: string, now: Date): Promise<CaseView> {
  const c = await getCase(caseId);
  if (!c) throw new NotFoundError("Case not found");
  return view(p, c, now, { replayed: true });
}

function localYear(now: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat("en", { timeZone, year: "numeric" }).format(now));
}

/** Act on a case. Conflicting concurrent actions: one wins, the others get 409 with the current state. */
export async function actOnCase(p: Principal, id: string, action: string, body: unknown, now: Date, idempotencyKey?: string): Promise<CaseView> {
  if (!(ACTION_NAMES as string[]).includes(action) || action === "report" || action === "timeout") throw new NotFoundError(`No action ${action}`);
  const idemRef = idem(p, idempotencyKey);
  if (idemRef) {
    const prior = await getIdempotency(idemRef.callerId, idemRef.key);
    if (prior) {
      if (prior.caseId !== id) throw new ConflictError("This Idempotency-Key was used for another request");
      return replay(p, id, now);
    }
  }
  const c = await getCaseWithConfig(id, CASE_CONFIG, now); // one request: the case, and the container's configuration when due (#16)
  if (!c || !canSee(p, c)) throw new NotFoundError(`Case ${id} not found`);
  // the action is the path's; an `action` in the body would be ignored, so it is refused (strict bodies)
  if (body && typeof body === "object" && Object.hasOwn(body, "action")) throw new InvalidError("Invalid action", { fields: [{ path: "action", message: "Unknown field", code: "unrecognized_keys" }] });
  const input = { ...(body && typeof body === "object" ? body : {}), action };
  const attachments = (input as { attachments?: unknown }).attachments;
  if (Array.isArray(attachments) && attachments.length) {
    const parsed = parse(z.array(Attachment).check(z.maxLength(20)), attachments, "attachments");
    await confirmAttachments(parsed, [`cases/${c.id}/`, `uploads/${p.kind}-${p.id}/`]);
  }
  const config = await caseConfig(c.categoryId, c.unitPath);
  const actor = actorFor(p, c.unitPath);
  config.refs = await loadRefs(p, c, input, actor, config);
  const decision = decide(c, input, actor, now, config);
  let events: DomainEvent[];
  try {
    events = await commitDecision(c, decision, idemRef ? { idempotency: { ...idemRef, expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_SECONDS } } : {});
  } catch (e) {
    if (idemRef && (e instanceof ConflictError || e instanceof UnavailableError)) {
      const prior = await getIdempotency(idemRef.callerId, idemRef.key);
      if (prior) return replay(p, id, now);
    }
    if (e instanceof ConflictError && (e.details as { reason?: string } | undefined)?.reason) {
      forgetCachedDepartments(); // a reference changed meanwhile (refs.ts): the retry reads departments again
      throw e;
    }
    if (e instanceof ConflictError) {
      const current = await getCase(id);
      throw new ConflictError("The case was changed by someone else; reload and retry", current ? { state: current.state, version: current.version, allowedActions: allowedActions(current, actorFor(p, current.unitPath), now) } : undefined);
    }
    throw e;
  }
  await publishEvents(events);
  return view(p, decision.next, now);
}

/** The system (timers) acting on a case: same decide, same conditional write. */
export async function systemAct(id: string, input: Record<string, unknown>, now: Date): Promise<{ applied: boolean; case?: Case; reason?: string }> {
  const c = await getCaseWithConfig(id, CASE_CONFIG, now); // as an action: configuration due comes with the case (#16)
  if (!c) return { applied: false, reason: "case not found" };
  const decided = await decideAsSystem(c, input, now);
  if ("reason" in decided) return { applied: false, reason: decided.reason };
  try {
    const events = await commitDecision(c, decided.decision);
    await publishEvents(events);
  } catch (e) {
    if (e instanceof ConflictError) return { applied: false, reason: "case moved on concurrently" };
    throw e;
  }
  return { applied: true, case: decided.decision.next };
}

/** What the system (a timer) would do to this case: the decision, or why it does nothing. */
export async function decideAsSystem(c: Case, input: Record<string, unknown>, now: Date): Promise<{ decision: Decision } | { reason: string }> {
  const config = await caseConfig(c.categoryId, c.unitPath);
  const actor: Actor = { kind: "system", id: "timer", roles: [] };
  config.refs = await loadRefs({ kind: "system", id: "timer" }, c, input, actor, config);
  try {
    return { decision: decide(c, input, actor, now, config) };
  } catch (e) {
    if (e instanceof ConflictError || e instanceof InvalidError || e instanceof ForbiddenError) return { reason: e.message };
    throw e;
  }
}

/**
 * Load what an action refers to (core/case/refs.ts `idsFor`): departments, units and other cases,
 * with the caller's visibility of those cases. `decide` checks them; the commit re-checks them.
 */
async function loadRefs(p: Principal, c: Case, input: Record<string, unknown>, actor: Actor, rules: { responsibleDepartmentId?: string; candidateDepartments?: string[] }): Promise<Refs> {
  const ids = idsFor(c, input, actor, rules);
  const [departments, units, cases] = await Promise.all([
    ids.departments.length ? cachedDepartments(ids.departments) : new Map(),
    ids.units.length ? getUnits(ids.units) : new Map(),
    ids.cases.length ? getCases(ids.cases) : new Map<string, Case>(),
  ]);
  return {
    departments: new Map([...departments.values()].map((d) => [d.id, { id: d.id, active: d.active, unitIds: d.unitIds ?? [] }])),
    units: new Map([...units.values()].map((u) => [u.id, { id: u.id, active: u.active, path: u.path }])),
    cases: new Map([...cases.values()].map((t) => [t.id, { id: t.id, state: t.state, visible: canSee(p, t) }])),
  };
}

export async function readCase(p: Principal, id: string, now: Date): Promise<CaseView> {
  const { case: c, events } = await caseWithTimeline(id);
  if (!c || !canSee(p, c)) throw new NotFoundError(`Case ${id} not found`);
  const publicOnly = p.kind === "resident";
  return view(p, c, now, {
    timeline: publicOnly ? (events.map((e) => residentEvent(e, p)) as unknown as DomainEvent[]) : events,
  });
}

/** Open cases of the same category within ~100 m reported in the last 72 h (geohash cells). */
async function duplicatesNear(c: Case, now: Date): Promise<NonNullable<CaseView["possibleDuplicates"]>> {
  const since = new Date(now.getTime() - DUPLICATE_WINDOW_H * 3600_000).toISOString();
  // one Query: every case within 100 m has a near row in this point's cell (core/case/repo.ts nearRows)
  const rows = await nearRowsAt(c.location.lng, c.location.lat, c.categoryId, since);
  const here: [number, number] = [c.location.lng, c.location.lat];
  // rows carry their point: only those within 100 m are read, for their number and current state (rows from before #16 have none)
  const ids = [...new Set(rows.filter((r) => r.caseId !== c.id && (r.lng === undefined || r.lat === undefined || distanceMeters(here, [r.lng, r.lat]) <= DUPLICATE_RADIUS_M)).map((r) => r.caseId))];
  if (!ids.length) return [];
  const found = await getCasesWithConfig(ids.slice(0, 100), CASE_CONFIG, now); // and the configuration half way to due: the next report need not read it
  return [...found.values()]
    .filter((d) => !isTerminal(d.state))
    .map((d) => ({ id: d.id, number: d.number, state: d.state, createdAt: d.createdAt, distanceMeters: Math.round(distanceMeters(here, [d.location.lng, d.location.lat])) }))
    .filter((d) => d.distanceMeters <= DUPLICATE_RADIUS_M)
    .sort((a, b) => a.distanceMeters - b.distanceMeters);
}

export const CaseQuery = z.object({
  state: z.optional(z.enum(["reported", "accepted", "claimable", "dispatched", "in_progress", "handled", "verified", "closed", "rejected"])),
  unitId: z.optional(IdFilter(40)),
  categoryId: z.optional(IdFilter(40)),
  ownerDepartment: z.optional(IdFilter(40)),
  mine: z.optional(z.enum(["true", "false"])),
  /** only the cases the caller reported (open and closed, newest first): the desk's "reported by me" */
  reportedByMe: z.optional(z.enum(["true", "false"])),
  overdue: z.optional(z.enum(["true", "false"])),
  supervised: z.optional(z.enum(["true", "false"])),
  urgent: z.optional(z.enum(["true", "false"])),
  from: z.optional(z.iso.datetime().check(z.maxLength(40))),
  to: z.optional(z.iso.datetime().check(z.maxLength(40))),
  closedMonth: z.optional(z.string().check(z.maxLength(7), z.regex(/^\d{4}-\d{2}$/))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

/**
 * Lists are Queries on keys designed for them: by state (gsi2, time-ordered), by owning
 * department (gsi3), open cases of a unit subtree (gsi1 begins_with path), closed cases of a month
 * (gsi1). Remaining filters apply within that key range; visibility is always enforced.
 */
export async function listCases(p: Principal, input: unknown, now: Date): Promise<Page<CaseView>> {
  const q = parse(CaseQuery, input, "query");
  if (p.kind === "resident") {
    // a resident's list is their own reports: one Query on their reporter index, open and closed alike
    const own = await casesOfReporter("resident", p.id, q);
    const items = own.items.filter((c) => (!q.state || c.state === q.state) && (!q.categoryId || c.categoryId === q.categoryId));
    return { items: items.map((c) => view(p, c, now)), nextCursor: own.nextCursor };
  }
  if (q.reportedByMe === "true" && (p.kind === "user" || p.kind === "api_key")) {
    // one Query on the caller's reporter index; the other filters apply within that page
    const own = await casesOfReporter(p.kind, p.id, q);
    const items = own.items.filter((c) => canSee(p, c) && (!q.state || c.state === q.state) && (!q.categoryId || c.categoryId === q.categoryId));
    return { items: items.map((c) => view(p, c, now)), nextCursor: own.nextCursor };
  }
  const unitPath = q.unitId ? (await getUnit(q.unitId))?.path : undefined;
  if (q.unitId && !unitPath) throw new InvalidError("Unknown unit", { fields: [{ path: "unitId", message: "unknown unit" }] });
  const dept = p.kind === "user" ? p.assignments.find((a) => a.role === "department_staff")?.departmentId : undefined;
  const ownerDept = q.ownerDepartment ?? (q.mine === "true" && dept ? dept : undefined);
  const scopePath = unitPath ?? (p.kind === "user" ? (p.assignments.filter((a) => a.role !== "department_staff").map((a) => a.unitPath).sort((a, b) => a.length - b.length)[0] ?? "/") : p.kind === "api_key" ? (p.unitPath ?? "/") : "/");

  let keyInput: { IndexName: string; KeyConditionExpression: string; ExpressionAttributeValues: Record<string, unknown>; ScanIndexForward?: boolean };
  if (ownerDept) {
    keyInput = { IndexName: "gsi3", KeyConditionExpression: "gsi3pk = :pk", ExpressionAttributeValues: { ":pk": keys.caseByOwner("department", ownerDept, "", "").gsi3pk }, ScanIndexForward: false };
  } else if (q.state) {
    keyInput = { IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :pk", ExpressionAttributeValues: { ":pk": keys.caseByState(q.state, "", "").gsi2pk }, ScanIndexForward: false };
  } else if (q.closedMonth) {
    keyInput = { IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)", ExpressionAttributeValues: { ":pk": `CASES#CLOSED#${q.closedMonth}`, ":p": scopePath } };
  } else {
    keyInput = { IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)", ExpressionAttributeValues: { ":pk": "CASES#OPEN", ":p": scopePath } };
  }
  const f = new Filters();
  if (unitPath && keyInput.IndexName !== "gsi1") f.add("begins_with(unitPath, :up)", { ":up": unitPath });
  if (q.state && keyInput.IndexName !== "gsi2") f.add("#st = :st", { ":st": q.state }, { "#st": "state" });
  if (q.categoryId) f.add("categoryId = :cat", { ":cat": q.categoryId });
  if (q.overdue) f.add("flags.overdue = :ov", { ":ov": q.overdue === "true" });
  if (q.supervised) f.add("flags.supervised = :sv", { ":sv": q.supervised === "true" });
  if (q.urgent) f.add("urgent = :ur", { ":ur": q.urgent === "true" });
  if (q.from) f.add("createdAt >= :from", { ":from": q.from });
  if (q.to) f.add("createdAt < :to", { ":to": q.to });
  if (q.mine === "true" && !ownerDept) f.add("(reporter.id = :me OR #ow.id = :me)", { ":me": p.id }, { "#ow": "owner" });
  if (p.kind === "api_key" && keyInput.IndexName === "gsi1" && !q.closedMonth) {
    // partners read open cases newest first (docs/api.md "Order of lists"): a merge of the time-ordered state index
    const newest = await openCasesNewestFirst(scopePath, f, q, (c) => canSee(p, c));
    return { items: newest.items.map((c) => view(p, c, now)), nextCursor: newest.nextCursor };
  }
  const map = (raw: Record<string, unknown>) => { const c = strip<Case>(raw)!; return canSee(p, c) ? c : undefined; };
  // by unit path: also where a moved subtree's cases still are while they are re-pathed (core/unit/paths-query.ts)
  const page =
    keyInput.IndexName === "gsi1"
      ? await queryPathPage<Case>(scopePath, (stored) => ({ ...keyInput, ...f.build({ ...keyInput.ExpressionAttributeValues, ":p": stored }) }), q, { map, maxReads: 30, pathOf: (raw) => String(raw.unitPath) })
      : await queryPage<Case>({ ...keyInput, ...f.build(keyInput.ExpressionAttributeValues) }, q, { map, maxReads: 30 });
  return { items: page.items.map((c) => view(p, c, now)), nextCursor: page.nextCursor };
}
