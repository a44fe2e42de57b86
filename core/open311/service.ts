import { InvalidError, NotFoundError } from "../errors.ts";
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { canSee } from "../case/actor.ts";
import { getCase, getCases, getIdempotency } from "../case/repo.ts";
import { CaseState, type Case } from "../case/schema.ts";
import { getDepartments } from "../department/repo.ts";
import { getSettings } from "../settings/settings.ts";
import { parse } from "../validate.ts";
import type { Category } from "../category/schema.ts";
import { allCategories } from "./catalog.ts";
import { checkJurisdiction } from "./caller.ts";
import { w3cTime } from "./format.ts";
import { EVENT_LABEL, open311Status, stateNote } from "./labels.ts";
import { casesByStateBetween, feedBetween, getExtras, type Open311Extras } from "./repo.ts";
import {
  JurisdictionQuery,
  RequestsQuery,
  UpdatesQuery,
  type RequestUpdate,
  type ServiceRequest,
} from "./schema.ts";

// the caller checks, the service lookup and the POST form attributes, shared with POST requests (core/open311/create.ts)
export { attributesOf, checkJurisdiction, findService, requireCaller } from "./caller.ts";
// discovery, the service list and a service definition: their own module (the partner area's first request loads only it)
export { ATTRIBUTES, SPECIFICATION, discovery, listServices, serviceDefinition, type DiscoveryOptions } from "./service-list.ts";

const DAY_MS = 86_400_000;
/** GeoReport v2: a query window spans at most 90 days, at most 1000 requests by default. */
export const MAX_WINDOW_DAYS = 90;
export const DEFAULT_PAGE_SIZE = 1000;
/** Deepest record reachable with page/page_size (offset paging reads every partition to that depth). */
export const MAX_DEPTH = 5000;
/** The updates feed: default window one day, at most seven; at most 1000 updates per response. */
export const UPDATES_DEFAULT_HOURS = 24;
export const UPDATES_MAX_DAYS = 7;
export const UPDATES_LIMIT = 1000;

const OPEN_STATES = CaseState.options.filter((s) => open311Status(s) === "open");
const CLOSED_STATES = CaseState.options.filter((s) => open311Status(s) === "closed");

// ---------------------------------------------------------------- GET requests

interface Lookups {
  categories: Map<string, Category>;
  departments: Map<string, { name: string }>;
  extras: Map<string, Open311Extras>;
  timeZone: string;
}

async function lookups(cases: Case[]): Promise<Lookups> {
  const deptIds = cases.flatMap((c) => [c.owner.kind === "department" ? c.owner.id : undefined, c.handler?.kind === "department" ? c.handler.id : undefined, c.responsibleDepartmentId].filter((x): x is string => Boolean(x)));
  const [categories, departments, extras, settings] = await Promise.all([allCategories(), deptIds.length ? getDepartments(deptIds) : Promise.resolve(new Map()), cases.length ? getExtras(cases.map((c) => c.id)) : Promise.resolve(new Map()), getSettings()]);
  return { categories: new Map(categories.map((c) => [c.id, c])), departments, extras, timeZone: settings.timeZone };
}

/** A case as a GeoReport v2 service request. */
export function toServiceRequest(c: Case, l: Lookups): ServiceRequest {
  const cat = l.categories.get(c.categoryId);
  const deptId = c.owner.kind === "department" ? c.owner.id : c.handler?.kind === "department" ? c.handler.id : c.responsibleDepartmentId;
  const x = l.extras.get(c.id);
  const status = open311Status(c.state);
  const merged = c.rejection?.mergedInto ? `; merged into ${c.rejection.mergedInto}` : "";
  const flags = [c.flags.overdue ? "超时" : "", c.flags.supervised ? "督办" : "", c.flags.returned ? "返工" : ""].filter(Boolean).join("、");
  return {
    service_request_id: c.id,
    status,
    status_notes: `${stateNote(c.state)}${flags ? ` [${flags}]` : ""}${merged}`,
    service_name: cat?.name ?? null,
    service_code: cat?.code ?? null,
    description: c.description,
    agency_responsible: deptId ? (l.departments.get(deptId)?.name ?? null) : null,
    service_notice: `案件编号 ${c.number}`,
    requested_datetime: w3cTime(c.createdAt, l.timeZone)!,
    updated_datetime: w3cTime(status === "closed" ? (c.closedAt ?? c.updatedAt) : c.updatedAt, l.timeZone)!,
    expected_datetime: status === "open" ? w3cTime(c.dueAt, l.timeZone) : null,
    address: c.location.address ?? null,
    address_id: x?.addressId ?? null,
    zipcode: null,
    lat: c.location.lat,
    long: c.location.lng,
    media_url: x?.mediaUrl ?? null,
  };
}

/** The cases of these (distinct) ids, in their order (one eventually consistent BatchGet per 100). */
async function casesByIds(ids: string[]): Promise<Case[]> {
  const found = await getCases(ids, false);
  return ids.flatMap((id) => found.get(id) ?? []);
}

/** The query window: both ends given, one end (90 days from it), or the most recent 90 days. */
export function queryWindow(start: string | undefined, end: string | undefined, now: Date, maxDays = MAX_WINDOW_DAYS): { from: Date; to: Date } {
  const span = maxDays * DAY_MS;
  const s = start ? new Date(start) : undefined;
  const e = end ? new Date(end) : undefined;
  const to = e ?? (s ? new Date(Math.min(s.getTime() + span, now.getTime())) : now);
  const from = s ?? new Date(to.getTime() - span);
  if (from.getTime() > to.getTime()) throw new InvalidError("start_date is after end_date", { fields: [{ path: "start_date", message: "after end_date" }] });
  if (to.getTime() - from.getTime() > span) throw new InvalidError(`The range may not span more than ${maxDays} days`, { fields: [{ path: "end_date", message: `at most ${maxDays} days after start_date` }] });
  return { from, to };
}

/**
 * `GET requests.[format]`: by ids (overrides every other filter), else cases requested in the
 * window (default the most recent 90 days), newest first, 1000 per page (`page`/`page_size`
 * extension). Reads the cases-by-state index of each wanted state, time-ranged.
 */
export async function listRequests(p: Principal, query: unknown, now: Date): Promise<ServiceRequest[]> {
  const q = parse(RequestsQuery, query, "query");
  checkJurisdiction(q.jurisdiction_id, await getSettings());
  let cases: Case[];
  if (q.service_request_id) {
    const ids = [...new Set(q.service_request_id.split(",").map((s) => s.trim()).filter(Boolean))];
    if (ids.length > 100) throw new InvalidError("At most 100 service_request_id at once", { fields: [{ path: "service_request_id", message: "at most 100" }] });
    cases = (await casesByIds(ids)).filter((c) => canSee(p, c));
  } else {
    const { from, to } = queryWindow(q.start_date, q.end_date, now);
    const pageSize = Number(q.page_size ?? DEFAULT_PAGE_SIZE);
    const page = Number(q.page ?? 1);
    const depth = page * pageSize;
    if (depth > MAX_DEPTH) throw new InvalidError(`page × page_size may not exceed ${MAX_DEPTH}; narrow the date range instead`, { fields: [{ path: "page", message: "too deep" }] });
    const statuses = new Set((q.status ?? "open,closed").split(","));
    const states = [...(statuses.has("open") ? OPEN_STATES : []), ...(statuses.has("closed") ? CLOSED_STATES : [])];
    let categoryIds: string[] | undefined;
    if (q.service_code) {
      const codes = new Set(q.service_code.split(",").map((s) => s.trim().toUpperCase()));
      categoryIds = (await allCategories()).filter((c) => codes.has(c.code)).map((c) => c.id).slice(0, 50);
      if (!categoryIds.length) return [];
    }
    const scope = p.kind === "api_key" ? (p.unitPath ?? "/") : "/";
    const parts = await Promise.all(states.map((s) => casesByStateBetween(s, from, to, { categoryIds, scope }, depth)));
    const merged = parts.flat().filter((c) => canSee(p, c));
    merged.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
    cases = merged.slice((page - 1) * pageSize, depth);
  }
  const l = await lookups(cases);
  return cases.map((c) => toServiceRequest(c, l));
}

/** `GET requests/{id}.[format]` */
export async function getRequest(p: Principal, id: string, query: unknown): Promise<ServiceRequest[]> {
  const q = parse(JurisdictionQuery, query, "query");
  checkJurisdiction(q.jurisdiction_id, await getSettings());
  const c = id.length <= 128 ? await getCase(id, false) : undefined;
  if (!c || !canSee(p, c)) throw new NotFoundError(`service_request_id ${id} not found`);
  return [toServiceRequest(c, await lookups([c]))];
}

/**
 * `GET tokens/{token}.[format]`. Requests are realtime (the id is returned at once, no token),
 * but a client that sent an `Idempotency-Key` header may use that key as a token to recover the
 * id of its request (for 24 hours).
 */
export async function tokenLookup(p: Principal, token: string, query: unknown): Promise<Array<{ service_request_id: string; token: string }>> {
  const q = parse(JurisdictionQuery, query, "query");
  checkJurisdiction(q.jurisdiction_id, await getSettings());
  const rec = /^[\w.:-]{1,128}$/.test(token) ? await getIdempotency(`${p.kind}:${p.id}`, token) : undefined;
  const c = rec ? await getCase(rec.caseId, false) : undefined;
  if (!c || !canSee(p, c)) throw new NotFoundError(`token ${token} not found`);
  return [{ service_request_id: c.id, token }];
}

// ---------------------------------------------------------------- updates feed

/** `GET servicerequestupdates.[format]`: public timeline events in the window (default the last 24 h), oldest first. */
export async function listUpdates(p: Principal, query: unknown, now: Date): Promise<RequestUpdate[]> {
  const q = parse(UpdatesQuery, query, "query");
  const settings = await getSettings();
  checkJurisdiction(q.jurisdiction_id, settings);
  const { from, to } = q.start_date || q.end_date ? queryWindow(q.start_date, q.end_date, now, UPDATES_MAX_DAYS) : { from: new Date(now.getTime() - UPDATES_DEFAULT_HOURS * 3_600_000), to: now };
  const scopes = p.kind === "api_key" ? [p.unitPath ?? "/"] : scopesFor(p, "cases:read");
  const { entries } = await feedBetween(from, to, p.kind === "api_key" ? (p.unitPath ?? "/") : "/", UPDATES_LIMIT);
  return entries
    .filter((e) => inScopes(e.unitPath, scopes))
    .map((e) => ({
      update_id: e.eventId,
      service_request_id: e.caseId,
      status: open311Status(e.to),
      updated_datetime: w3cTime(e.at, settings.timeZone)!,
      description: EVENT_LABEL[e.type as keyof typeof EVENT_LABEL] ?? e.type,
      media_url: null,
      external_status_code: e.to,
    }));
}
