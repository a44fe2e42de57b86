import * as z from "zod/mini";
import { Cursor } from "../db/ids.ts";
import { batchWritePlain } from "../db/repo-batch.ts";
import { inboxKey, markInboxRead, staffRowsOf, type StaffRow } from "./repo.ts";
import { queryPage, type Page } from "../db/page.ts";
import { parse } from "../validate.ts";
import type { DomainEvent } from "../case/repo.ts";
import type { Notify, Owner } from "../case/schema.ts";
import { clock } from "../clock.ts";
import { ESCALATION_EVENTS, getSettings, type EscalationEvent } from "../settings/settings.ts";

export interface Notification {
  id: string;
  userId: string;
  eventId: string;
  caseId: string;
  caseNumber: string;
  type: string;
  at: string;
  read: boolean;
  reason: string;
}

/** Role rows of a unit, looked up once per queue batch (a batch's events share units: #16). */
export type StaffLookup = (unitId: string) => Promise<StaffRow[]>;

/**
 * What a batch's events prove about the role rows: the highest staff version stamped on them by
 * their producer (core/config/staff-version.ts) and when that version was bumped.
 */
export interface StaffProof {
  v: number;
  at: string;
}

/** Rows read less than this after the bump of their version may miss a row the index had not shown yet: used once, not kept. */
export const STAFF_INDEX_LAG_MS = 10_000;
/** A kept entry is read again this long after it was read (monotonic time), whatever the versions say (the backstop against a missed bump). */
export const STAFF_CACHE_TTL_MS = 15 * 60_000;

const StaffAttributes = z.object({
  staffVersion: z.object({ stringValue: z.string().check(z.regex(/^\d{1,15}$/)) }),
  staffAt: z.object({ stringValue: z.iso.datetime() }),
});

/**
 * The proof of a batch from its messages' attributes: the highest version and its time, or
 * undefined when one message carries none (republished by the outbox sweep, redriven, or published
 * by a container whose copy was not recent): then the batch reads every unit's rows fresh.
 */
export function staffProofOf(attributes: Array<Record<string, unknown> | undefined>): StaffProof | undefined {
  let proof: StaffProof | undefined;
  for (const a of attributes) {
    const parsed = StaffAttributes.safeParse(a ?? {});
    if (!parsed.success) return undefined;
    const v = Number(parsed.data.staffVersion.stringValue);
    if (!proof || v > proof.v) proof = { v, at: parsed.data.staffAt.stringValue };
  }
  return proof;
}

/** Role rows per unit kept by this container, with the staff version they are known current for. */
const kept = new Map<string, { rows: StaffRow[]; v: number; keptAt: number }>();

/** Forget the kept role rows (tests). */
export function forgetStaffRows(): void {
  kept.clear();
}

/**
 * A lookup that reads each unit's role rows once (one Query) for as long as it is kept: one batch.
 * With the batch's proof, rows this container kept at that staff version or later (and read within
 * the backstop TTL) answer without a Query; rows read now are kept with the proof's version unless
 * the version was bumped less than STAFF_INDEX_LAG_MS ago (the gsi2 Query is eventually
 * consistent: such rows serve this batch only). Without a proof every unit is read fresh.
 */
export function staffLookup(proof?: StaffProof, now: () => Date = () => clock.now()): StaffLookup {
  const seen = new Map<string, Promise<StaffRow[]>>();
  return (unitId) => {
    let rows = seen.get(unitId);
    if (!rows) {
      const hit = proof ? kept.get(unitId) : undefined;
      if (proof && hit && hit.v >= proof.v && performance.now() - hit.keptAt < STAFF_CACHE_TTL_MS) rows = Promise.resolve(hit.rows);
      else {
        const t = now().getTime(); // the bump's time is the writer's clock: compared on the clock
        const keptAt = performance.now(); // the backstop TTL: monotonic container time, as the webhook list's cache
        rows = staffRowsOf(unitId).then((read) => {
          if (proof && t - Date.parse(proof.at) >= STAFF_INDEX_LAG_MS && (kept.get(unitId)?.v ?? -1) <= proof.v) kept.set(unitId, { rows: read, v: proof.v, keptAt });
          return read;
        });
        rows.catch(() => seen.delete(unitId));
      }
      seen.set(unitId, rows);
    }
    return rows;
  };
}

/** Staff holding one of `roles` on a unit of this path (the unit or any ancestor). */
async function staffOn(staff: StaffLookup, unitPath: string, roles: string[]): Promise<string[]> {
  const unitIds = unitPath.split("/").filter(Boolean);
  const users = new Set<string>();
  for (const rows of await Promise.all(unitIds.map((unitId) => staff(unitId)))) for (const r of rows) if (roles.includes(r.role)) users.add(r.userId);
  return [...users];
}

/** Department staff of these departments (role rows carry departmentId). */
async function departmentStaff(staff: StaffLookup, e: DomainEvent, ids: string[]): Promise<string[]> {
  const rootId = e.unitPath.split("/").filter(Boolean)[0];
  return (await staff(rootId)).filter((r) => r.role === "department_staff" && ids.includes(r.departmentId as string)).map((r) => r.userId);
}

/**
 * The real owner of a unit-owned case: the staff of that unit (the dispatchers for the root, the
 * dispatch center). A unit without staff of its own (a micro-grid verifying) is served by the
 * nearest unit above it that has staff, below the root. Superiors: the staff of the unit above.
 */
async function unitOwnerStaff(staff: StaffLookup, e: DomainEvent, unitId: string, superior: boolean): Promise<string[]> {
  const path = e.unitPath.split("/").filter(Boolean);
  const at = path.indexOf(unitId);
  if (at <= 0) {
    // the dispatch center: dispatchers (and, as superiors, the supervisors of the county)
    const root = await staff(path[0]);
    return root.filter((r) => r.role === "dispatcher" || (superior && r.role === "supervisor")).map((r) => r.userId);
  }
  const users: string[] = [];
  let i = at;
  for (; i > 0; i--) {
    const here = (await staff(path[i])).filter((r) => r.role !== "department_staff" && r.role !== "auditor" && r.role !== "county_admin");
    if (here.length) {
      users.push(...here.map((r) => r.userId));
      break;
    }
  }
  if (superior) users.push(...(await unitOwnerStaff(staff, e, path[Math.max(0, i - 1)], false)));
  return users;
}

/** Staff of one unit who hear as its superiors: the root's dispatchers and supervisors, else its unit staff. */
async function superiorStaffOf(staff: StaffLookup, path: string[], depth: number): Promise<string[]> {
  const rows = await staff(path[depth]);
  if (depth === 0) return rows.filter((r) => r.role === "dispatcher" || r.role === "supervisor").map((r) => r.userId);
  return rows.filter((r) => r.role !== "department_staff" && r.role !== "auditor" && r.role !== "county_admin").map((r) => r.userId);
}

/**
 * Superiors named by the county's escalation rules (settings.escalation) for an escalating event:
 * the staff of the units at the named levels on the case's path, each level above the owner's
 * (every named level for a department or user owner). `undefined` when the rules do not name this
 * event: the built-in default applies.
 */
async function escalationSuperiors(staff: StaffLookup, e: DomainEvent, owner: Owner | undefined): Promise<string[] | undefined> {
  if (!(ESCALATION_EVENTS as readonly string[]).includes(e.type)) return undefined;
  const settings = await getSettings();
  const levels = settings.escalation?.[e.type as EscalationEvent];
  if (!levels) return undefined;
  const path = e.unitPath.split("/").filter(Boolean);
  const ownerDepth = owner?.kind === "unit" ? path.indexOf(owner.id) : -1;
  const depths = new Set<number>();
  for (const key of levels) {
    const depth = key === "county" ? 0 : settings.levels.findIndex((l) => l.key === key) + 1;
    if (depth < 0 || depth >= path.length) continue; // the case's path has no unit of that level
    if (owner?.kind === "unit" && (ownerDepth < 0 || depth >= ownerDepth)) continue; // not above the owner
    depths.add(depth);
  }
  return (await Promise.all([...depths].map((d) => superiorStaffOf(staff, path, d)))).flat();
}

/** Who the event's `notify` hints point at, as user ids. */
export async function recipients(e: DomainEvent, staff: StaffLookup = staffLookup()): Promise<Map<string, string>> {
  const hints = ((e.data as { notify?: Notify[] } | undefined)?.notify ?? []) as Notify[];
  const out = new Map<string, string>();
  // an escalating event: the county's rules name the superiors up the chain (of the owner the event names)
  const ownerHint = hints.find((h): h is Extract<Notify, { kind: "owner" }> => h.kind === "owner");
  const named = await escalationSuperiors(staff, e, ownerHint?.owner ?? (e.data as { owner?: Owner } | undefined)?.owner);
  for (const h of hints) {
    let users: string[] = [];
    if (h.kind === "role") users = await staffOn(staff, e.unitPath, [h.role]);
    else if (h.kind === "departments") users = await departmentStaff(staff, e, h.ids);
    else if (h.kind === "reporter") users = h.reporter.kind === "user" ? [h.reporter.id] : [];
    else if (h.kind === "owner") {
      if (h.owner.kind === "department") users = await departmentStaff(staff, e, [h.owner.id]);
      else if (h.owner.kind === "user") users = [h.owner.id];
      // with escalation rules for this event, they name the unit superiors (below); else one unit up
      else users = await unitOwnerStaff(staff, e, h.owner.id, h.superior === true && named === undefined);
      // a department's superior: the dispatch center
      if (h.superior && h.owner.kind !== "unit") users.push(...(await unitOwnerStaff(staff, e, e.unitPath.split("/").filter(Boolean)[0], false)));
    }
    for (const u of users) if (!out.has(u)) out.set(u, h.kind === "role" ? h.role : h.kind);
  }
  for (const u of named ?? []) if (!out.has(u)) out.set(u, "superior");
  // nobody is told of their own action; one notification per event per person (the map)
  if (e.actor.kind === "user") out.delete(e.actor.id);
  return out;
}

/** The in-app notification items of an event, one per recipient (same key per user and event: idempotent). */
export async function notificationItems(e: DomainEvent, staff: StaffLookup = staffLookup()): Promise<Record<string, unknown>[]> {
  const who = await recipients(e, staff);
  return [...who].map(([userId, reason]) => ({
    ...inboxKey(userId, e.at, e.id),
    _et: "Notification",
    id: `${e.at}#${e.id}`,
    userId,
    eventId: e.id,
    caseId: e.caseId,
    caseNumber: e.caseNumber,
    type: e.type,
    at: e.at,
    read: false,
    reason,
    expiresAt: Math.floor(Date.parse(e.at) / 1000) + 180 * 86400,
  }));
}

/** Write the in-app notifications of an event (idempotent: same key per user and event). */
export async function notify(e: DomainEvent): Promise<number> {
  const items = await notificationItems(e);
  await batchWritePlain(items.map((put) => ({ put })));
  return items.length;
}

export const InboxQuery = z.object({
  unread: z.optional(z.enum(["true", "false"])),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(Cursor),
});

export async function listInbox(userId: string, input: unknown): Promise<Page<Notification>> {
  const q = parse(InboxQuery, input, "query");
  return queryPage<Notification>(
    {
      KeyConditionExpression: "pk = :pk",
      FilterExpression: q.unread === "true" ? "#r = :f" : undefined,
      ExpressionAttributeNames: q.unread === "true" ? { "#r": "read" } : undefined,
      ExpressionAttributeValues: { ":pk": `INBOX#${userId}`, ...(q.unread === "true" ? { ":f": false } : {}) },
      ScanIndexForward: false,
    },
    q,
  );
}

export async function markRead(userId: string, id: string): Promise<void> {
  await markInboxRead(userId, id);
}
