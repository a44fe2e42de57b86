import { ulid } from "ulid";
import { recordDutyPhotos } from "./photo-retention.ts";
import * as z from "zod/mini";
import { IdFilter } from "../db/ids.ts";
import { mapStorageError } from "../db/errors.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../errors.ts";
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { rolePermissions } from "../auth/roles.ts";
import { getSettings } from "../settings/settings.ts";
import { parse } from "../validate.ts";
import { LocalDate, Notes } from "../registry/fields.ts";
import { canRead, listRoot } from "../registry/access.ts";
import { getDutyConfig, type DutyConfig } from "./config.ts";
import { heldForDay, judgePatrols, trackMeters, type PatrolVerdict } from "./patrol-rules.ts";
import { checkPhotos, evidenceLink, Photos, Point, TimedPoint } from "./inputs.ts";
import { writeNotices, type DutyNotice } from "./notice.ts";
import { staffLookup } from "./staff.ts";
import { countyDate, dayEnd, dayStart, addDays, daysToProcess } from "./time.ts";
import { requireUserInScope } from "./visits.ts";
import {
  appendPatrolPoints,
  closePatrol,
  getPatrol,
  latestPatrol,
  patrolDutyMark,
  patrolSummariesOfDay,
  patrolsOfUser,
  putMissedPatrol,
  putNewPatrol,
  setPatrolDutyMark,
  userRowsForPatrols,
} from "./repo-patrols.ts";

const MAX_POINTS = 2000;

export interface Patrol {
  id: string;
  userId: string;
  actorName?: string;
  unitId: string;
  unitPath: string;
  /** county-local day the patrol started on */
  date: string;
  startedAt: string;
  endedAt: string | null;
  startPoint?: { lng: number; lat: number };
  endPoint?: { lng: number; lat: number };
  points: Array<{ lng: number; lat: number; at: string }>;
  pointsCount: number;
  /** measured at check-out: length of the GPS track (m) and duration (minutes) */
  distanceMeters?: number;
  durationMinutes?: number;
  note?: string;
  /** evidence photos given at check-out (keys from `POST /v1/uploads`) */
  photos?: Array<{ key: string }>;
}

export const StartPatrol = z.strictObject({ point: Point });
export const PatrolPoints = z.strictObject({ points: z.array(TimedPoint).check(z.minLength(1), z.maxLength(200)) });
export const EndPatrol = z.strictObject({ point: z.optional(Point), note: z.optional(Notes), photos: Photos });

/** The unit a worker patrols: their first assignment with registry:write (a grid). */
function patrolUnit(p: Principal): { unitId: string; unitPath: string } {
  if (p.kind !== "user") throw new ForbiddenError("Only staff patrol");
  const a = p.assignments.find((x) => rolePermissions[x.role].includes("registry:write"));
  if (!a) throw new ForbiddenError("You have no grid to patrol");
  return { unitId: a.unitId, unitPath: a.unitPath };
}

/** Check in: start a patrol (one open patrol at a time). */
export async function startPatrol(p: Principal, input: unknown, now: Date): Promise<Patrol> {
  const data = parse(StartPatrol, input ?? {}, "patrol");
  const unit = patrolUnit(p);
  const open = await latestPatrol(p.id);
  if (open && !open.endedAt) throw new ConflictError("End your open patrol first", { openPatrolId: open.id });
  const settings = await getSettings();
  const x: Patrol = {
    id: ulid(now.getTime()),
    userId: p.id,
    actorName: p.kind === "user" ? p.username : undefined,
    ...unit,
    date: countyDate(now, settings.timeZone),
    startedAt: now.toISOString(),
    endedAt: null,
    startPoint: data.point,
    points: data.point ? [{ ...data.point, at: now.toISOString() }] : [],
    pointsCount: data.point ? 1 : 0,
  };
  await putNewPatrol(x);
  return x;
}

async function ownOpen(p: Principal, id: string): Promise<Patrol> {
  const x = await getPatrol(id);
  if (!x || x.userId !== p.id) throw new NotFoundError(`Patrol ${id} not found`);
  if (x.endedAt) throw new ConflictError("This patrol has ended");
  return x;
}

/** Append GPS points to one's own open patrol. */
export async function addPatrolPoints(p: Principal, id: string, input: unknown): Promise<{ id: string; pointsCount: number }> {
  const { points } = parse(PatrolPoints, input, "points");
  await ownOpen(p, id);
  return { id, pointsCount: await appendPatrolPoints(id, p.id, points, MAX_POINTS) };
}

/** Check out: end one's own open patrol. */
export async function endPatrol(p: Principal, id: string, input: unknown, now: Date): Promise<Patrol> {
  const data = parse(EndPatrol, input ?? {}, "patrol end");
  const x = await ownOpen(p, id);
  await checkPhotos(p, data.photos);
  const extra = data.point ? [{ ...data.point, at: now.toISOString() }] : [];
  const distance = trackMeters([...x.points, ...extra]);
  const minutes = Math.round(((now.getTime() - Date.parse(x.startedAt)) / 60_000) * 10) / 10;
  const ended = await closePatrol(id, p.id, x.pointsCount, { at: now.toISOString(), point: data.point ?? null, note: data.note ?? null, photos: data.photos, extra, distanceMeters: distance, durationMinutes: minutes });
  await recordDutyPhotos(data.photos, "patrol", id, now).catch((e) => mapStorageError(e)); // retention (core/duty/photo-retention.ts)
  return ended ?? x;
}

/** A photo of a patrol: for the worker who patrolled and for registry readers over the patrol's grid. */
export async function patrolPhoto(p: Principal, id: string, key: string) {
  const x = await getPatrol(id);
  if (!x || (x.userId !== p.id && !canRead(p, x.unitPath))) throw new NotFoundError(`Patrol ${id} not found`);
  return evidenceLink(x.photos, key);
}

export const PatrolQuery = z.object({ userId: z.optional(IdFilter(40)), date: z.optional(LocalDate) });

/**
 * A worker's patrols (default: the caller's), of one county day or the latest 50. Each says whether
 * it counts towards the day's requirement (`verdict`, by the county's patrol rule) and why not.
 */
export async function listPatrols(p: Principal, input: unknown): Promise<{ items: Array<Patrol & { verdict: PatrolVerdict }> }> {
  const q = parse(PatrolQuery, input, "query");
  const userId = q.userId ?? p.id;
  if (userId !== p.id) await requireUserInScope(p, userId);
  const items = await patrolsOfUser(userId, q.date);
  const { patrolRule } = await getDutyConfig();
  // verdicts are per day: judge each day's patrols together (the gap rule looks at the previous one)
  const verdicts = new Map<string, PatrolVerdict>();
  for (const day of new Set(items.map((x) => x.date))) for (const v of judgePatrols(items.filter((x) => x.date === day), patrolRule)) verdicts.set(v.id, v);
  return { items: items.map((x) => ({ ...x, verdict: verdicts.get(x.id)! })) };
}

export interface MissedPatrol {
  userId: string;
  username: string;
  displayName: string;
  unitId: string;
  unitPath: string;
  date: string;
  /** patrols that count by the county's rule */
  done: number;
  /** finished patrols, counted or not */
  finished: number;
  required: number;
}

interface Worker {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
  unitPath: string;
  /** when the grid was assigned (absent for assignments older than this field) */
  since?: string;
}

/** Active grid workers (the user list is one gsi1 partition, read with a projection). */
async function gridWorkers(): Promise<Worker[]> {
  const found: Worker[] = [];
  for (const u of await userRowsForPatrols()) {
    if (!u.active) continue;
    const a = (u.assignments as Array<{ role: string; unitId: string; unitPath: string; since?: string }>).find((x) => x.role === "grid_worker");
    if (a) found.push({ id: u.id, username: u.username, displayName: u.displayName, unitId: a.unitId, unitPath: a.unitPath, since: a.since });
  }
  return found;
}

type DayPatrol = { id: string; userId: string; startedAt: string; endedAt: string | null; distanceMeters?: number; points?: Array<{ lng: number; lat: number }> };

/** A county day's patrols per worker (summary fields; the track only of patrols measured before check-out stored it). */
async function patrolsOfDay(date: string): Promise<Map<string, DayPatrol[]>> {
  const byUser = new Map<string, DayPatrol[]>();
  const unmeasured: DayPatrol[] = [];
  for (const x of await patrolSummariesOfDay<DayPatrol>(date)) {
    byUser.set(x.userId, [...(byUser.get(x.userId) ?? []), x]);
    if (x.endedAt && x.distanceMeters === undefined) unmeasured.push(x);
  }
  // patrols ended before the distance was stored at check-out: measure their track once
  for (const x of unmeasured) x.points = (await getPatrol(x.id))?.points ?? [];
  return byUser;
}

/**
 * Workers short of the day's requirement: only workers who held their grid that county day (early enough to meet it),
 * and only patrols that count by the county's rule (duration, distance, gap).
 */
async function computeMissed(date: string, config: DutyConfig, timeZone: string): Promise<MissedPatrol[]> {
  const required = config.patrolsPerDay;
  if (required === 0) return [];
  const dayEndIso = dayEnd(date, timeZone).toISOString();
  const [workers, patrols] = await Promise.all([gridWorkers(), patrolsOfDay(date)]);
  return workers
    .filter((w) => heldForDay(w.since, dayEndIso, required, config.patrolRule))
    .map((w) => {
      const verdicts = judgePatrols(patrols.get(w.id) ?? [], config.patrolRule);
      const done = verdicts.filter((v) => v.counts).length;
      return { userId: w.id, username: w.username, displayName: w.displayName, unitId: w.unitId, unitPath: w.unitPath, date, done, finished: verdicts.filter((v) => v.reason !== "open").length, required };
    })
    .filter((m) => m.done < required);
}

/** Workers (in the caller's scope) who finished fewer patrols than required on a past county day. */
export async function listMissedPatrols(p: Principal, input: unknown, now: Date): Promise<{ items: MissedPatrol[] }> {
  const q = parse(z.object({ date: LocalDate, unitId: z.optional(IdFilter(40)) }), input, "query");
  const settings = await getSettings();
  if (q.date >= countyDate(now, settings.timeZone)) throw new InvalidError("The day is not over yet", { fields: [{ path: "date", message: "must be a past day" }] });
  const root = await listRoot(p, q.unitId);
  if (!root) return { items: [] };
  const config = await getDutyConfig();
  const scopes = scopesFor(p, "registry:read");
  const items = (await computeMissed(q.date, config, settings.timeZone)).filter((m) => m.unitPath.startsWith(root) && inScopes(m.unitPath, scopes));
  return { items };
}

const CATCH_UP_DAYS = 14;

/**
 * The daily patrol duty: for each finished county day not yet processed (at most the last 14),
 * flag workers with fewer finished patrols than required (`MISSEDPATROL#<date>` rows) and notify
 * them and their grid leaders. Re-running a day rewrites the same rows and notices.
 */
export async function runPatrolDuty(now: Date): Promise<{ dates: string[]; missed: number }> {
  const [config, settings] = await Promise.all([getDutyConfig(), getSettings()]);
  const yesterday = addDays(countyDate(now, settings.timeZone), -1);
  const dates = daysToProcess(await patrolDutyMark(), yesterday, CATCH_UP_DAYS);
  const staff = staffLookup();
  let missed = 0;
  for (const date of dates) {
    const list = await computeMissed(date, config, settings.timeZone);
    missed += list.length;
    const at = dayStart(addDays(date, 1), settings.timeZone).toISOString();
    const notices: DutyNotice[] = [];
    for (const m of list) {
      await putMissedPatrol(date, m);
      notices.push({ userId: m.userId, id: `patrols.missed.${date}`, type: "patrols.missed", at, reason: "grid_worker", title: `${date} 巡查 ${m.done}/${m.required} 次`, data: { ...m } });
      for (const leader of await staff.onPath(m.unitPath, ["grid_leader"])) {
        notices.push({ userId: leader, id: `patrols.missed.${date}.${m.userId}`, type: "patrols.missed", at, reason: "grid_leader", title: `${m.displayName} ${date} 巡查 ${m.done}/${m.required} 次`, data: { ...m } });
      }
    }
    await writeNotices(notices);
  }
  if (dates.length) {
    await setPatrolDutyMark(dates[dates.length - 1], now.toISOString());
  }
  return { dates, missed };
}
