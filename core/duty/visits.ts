import { ulid } from "ulid";
import { recordDutyPhotos } from "./photo-retention.ts";
import * as z from "zod/mini";
import { Cursor, IdFilter, IdRef } from "../db/ids.ts";
import type { Page } from "../db/page.ts";
import { ForbiddenError, InvalidError, NotFoundError } from "../errors.ts";
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { getSettings } from "../settings/settings.ts";
import { getUser } from "../user/repo.ts";
import { parse } from "../validate.ts";
import { listRoot, requireWrite, visibleOr404 } from "../registry/access.ts";
import { getHousehold } from "../registry/repo.ts";
import { Notes } from "../registry/fields.ts";
import { getDutyConfig, type DutyConfig } from "./config.ts";
import { writeNotices, type DutyNotice } from "./notice.ts";
import { checkPhotos, evidenceLink, Photos, Point } from "./inputs.ts";
import { staffLookup } from "./staff.ts";
import type { VisitState } from "./state.ts";
import { countyDate, dayStart } from "./time.ts";
import { getVisit, putVisit, visitStatesDueBefore, visitsOfHouseholdPage, visitsOfWorkerPage } from "./repo.ts";

const DAY_MS = 86_400_000;

export const LogVisit = z.strictObject({
    householdId: IdRef(40),
    /** when the visit happened (default now); at most 30 days back */
    at: z.optional(z.iso.datetime({ offset: true }).check(z.maxLength(40))),
    notes: z.optional(Notes),
    photos: Photos,
    location: z.optional(Point),
  });

export interface Visit {
  id: string;
  householdId: string;
  unitId: string;
  unitPath: string;
  userId: string;
  actorName?: string;
  at: string;
  notes?: string;
  photos: Array<{ key: string }>;
  location?: { lng: number; lat: number };
  createdAt: string;
}

/** Log a household visit; it moves the household's last visit forward (never back). */
export async function logVisit(p: Principal, input: unknown, now: Date): Promise<Visit> {
  const data = parse(LogVisit, input, "visit");
  const at = data.at ? new Date(data.at) : now;
  if (at.getTime() > now.getTime() + 5 * 60_000) throw new InvalidError("Invalid visit", { fields: [{ path: "at", message: "in the future" }] });
  if (at.getTime() < now.getTime() - 30 * DAY_MS) throw new InvalidError("Invalid visit", { fields: [{ path: "at", message: "more than 30 days ago" }] });
  const household = visibleOr404(p, await getHousehold(data.householdId), "Household", data.householdId);
  requireWrite(p, household.unitPath);
  await checkPhotos(p, data.photos);
  const visit: Visit = {
    id: ulid(now.getTime()),
    householdId: household.id,
    unitId: household.unitId,
    unitPath: household.unitPath,
    userId: p.id,
    actorName: p.kind === "user" ? p.username : undefined,
    at: at.toISOString(),
    notes: data.notes,
    photos: data.photos,
    location: data.location,
    createdAt: now.toISOString(),
  };
  await putVisit(visit, household.class);
  await recordDutyPhotos(visit.photos, "visit", visit.id, now); // retention (core/duty/photo-retention.ts)
  return visit;
}

export const VisitPhotoQuery = z.object({ at: z.iso.datetime({ offset: true }).check(z.maxLength(40)) });

/** `GET /v1/duties/visits/overdue` */
export const OverdueQuery = z.object({ unitId: z.optional(IdFilter(40)), limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 200) });

/**
 * A photo of a household visit, for whoever reads the household (registry:read over its unit).
 * The visit is addressed by household, id and `at` (its sort key), so this is one GetItem.
 */
export async function visitPhoto(p: Principal, householdId: string, visitId: string, input: unknown, key: string) {
  const { at } = parse(VisitPhotoQuery, input, "query");
  visibleOr404(p, await getHousehold(householdId), "Household", householdId);
  const visit = await getVisit(householdId, new Date(at).toISOString(), visitId);
  if (!visit) throw new NotFoundError(`Visit ${visitId} not found`);
  return evidenceLink(visit.photos, key);
}

export const VisitQuery = z.object({
  householdId: z.optional(IdFilter(40)),
  userId: z.optional(IdFilter(40)),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

/** A household's visits, or a worker's (default: the caller's), newest first. */
export async function listVisits(p: Principal, input: unknown): Promise<Page<Visit>> {
  const q = parse(VisitQuery, input, "query");
  if (q.householdId) {
    const h = visibleOr404(p, await getHousehold(q.householdId), "Household", q.householdId);
    return visitsOfHouseholdPage(h.id, q);
  }
  const userId = q.userId ?? p.id;
  if (userId !== p.id) await requireUserInScope(p, userId);
  return visitsOfWorkerPage(userId, q);
}

/** Another worker's duty records are visible to whoever reads the registry over all of their units. */
export async function requireUserInScope(p: Principal, userId: string): Promise<void> {
  const u = await getUser(userId);
  if (!u) throw new NotFoundError(`User ${userId} not found`);
  const scopes = scopesFor(p, "registry:read");
  if (!u.assignments.length || !u.assignments.every((a) => inScopes(a.unitPath, scopes))) throw new ForbiddenError("This worker is outside your part of the hierarchy");
}

export interface OverdueVisit {
  householdId: string;
  unitId: string;
  unitPath: string;
  address: string;
  class: string;
  lastVisitAt: string | null;
  dueAt: string;
  daysOverdue: number;
}

/** Households of classes with a visit frequency whose last visit (or registration) is older than it. */
async function overdueStates(config: DutyConfig, now: Date, unitPath?: string): Promise<OverdueVisit[]> {
  const out: OverdueVisit[] = [];
  for (const [cls, days] of Object.entries(config.visitEveryDays)) {
    if (!days) continue;
    const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
    for (const s of await visitStatesDueBefore(cls, cutoff, unitPath)) {
      const last = s.lastVisitAt ?? s.since;
      const dueMs = Date.parse(last) + days * DAY_MS;
      out.push({ householdId: s.householdId, unitId: s.unitId, unitPath: s.unitPath, address: s.address, class: s.class, lastVisitAt: s.lastVisitAt, dueAt: new Date(dueMs).toISOString(), daysOverdue: Math.floor((now.getTime() - dueMs) / DAY_MS) });
    }
  }
  return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/** Overdue visits under a unit (default: the caller's scope), most overdue first. */
export async function listOverdueVisits(p: Principal, input: unknown, now: Date): Promise<{ items: OverdueVisit[]; total: number }> {
  const q = parse(OverdueQuery, input, "query");
  const root = await listRoot(p, q.unitId);
  if (!root) return { items: [], total: 0 };
  const all = await overdueStates(await getDutyConfig(), now, root);
  return { items: all.slice(0, q.limit), total: all.length };
}

const NOTICE_CAP = 200;

/**
 * The daily visit duty: every overdue household is counted for the grid workers serving its unit,
 * who get one notice each with their list; their grid leaders get one with the count per worker.
 * Households no worker serves are reported as unassigned.
 */
export async function runVisitDuty(now: Date): Promise<{ overdue: number; workers: number; leaders: number; unassigned: number }> {
  const [config, settings] = await Promise.all([getDutyConfig(), getSettings()]);
  const overdue = await overdueStates(config, now);
  const staff = staffLookup();
  const byWorker = new Map<string, OverdueVisit[]>();
  const byLeader = new Map<string, Map<string, number>>();
  let unassigned = 0;
  for (const o of overdue) {
    const [workers, leaders] = await Promise.all([staff.onPath(o.unitPath, ["grid_worker"]), staff.onPath(o.unitPath, ["grid_leader"])]);
    if (!workers.length) unassigned++;
    for (const w of workers) byWorker.set(w, [...(byWorker.get(w) ?? []), o]);
    for (const l of leaders) {
      const counts = byLeader.get(l) ?? new Map<string, number>();
      for (const w of workers.length ? workers : ["unassigned"]) counts.set(w, (counts.get(w) ?? 0) + 1);
      byLeader.set(l, counts);
    }
  }
  const date = countyDate(now, settings.timeZone);
  const at = dayStart(date, settings.timeZone).toISOString();
  const notices: DutyNotice[] = [];
  for (const [userId, list] of byWorker) {
    notices.push({
      userId,
      id: `visits.overdue.${date}`,
      type: "visits.overdue",
      at,
      reason: "grid_worker",
      title: `${list.length} 户走访已逾期`,
      data: { date, count: list.length, households: list.slice(0, NOTICE_CAP) },
    });
  }
  for (const [userId, counts] of byLeader) {
    const total = [...counts.values()].reduce((s, n) => s + n, 0);
    notices.push({
      userId,
      id: `visits.overdue.leader.${date}`,
      type: "visits.overdue",
      at,
      reason: "grid_leader",
      title: `网格内 ${total} 户走访已逾期`,
      data: { date, count: total, byWorker: Object.fromEntries(counts) },
    });
  }
  await writeNotices(notices);
  return { overdue: overdue.length, workers: byWorker.size, leaders: byLeader.size, unassigned };
}
