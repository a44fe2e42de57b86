import { encodeTime, TIME_LEN, ulid } from "ulid";
import * as z from "zod/mini";
import { Cursor, IdFilter, IdRef } from "../db/ids.ts";
import { tableName } from "../db/client.ts";
import * as keys from "../db/keys.ts";
import { encodeCursor, decodeCursor } from "../db/items.ts";
import { scopesFor, type Principal } from "../auth/principal.ts";
import { ForbiddenError, InvalidError } from "../errors.ts";
import { getSettings } from "../settings/settings.ts";
import { zonedTimeToUtc } from "../calendar/time.ts";
import { auditRowsPage } from "./repo.ts";

import type { AuditEntry } from "./entry.ts";

/** The audit list (`GET /v1/audit`): its query, the partitions that answer it and the read. The row itself: ./entry.ts. */

/** "2026-12" + 1 → "2027-01" */
const addMonthsToMonth = (month: string, n: number): string => {
  const k = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
};

const Month = z.string().check(z.maxLength(7), z.regex(/^\d{4}-\d{2}$/));

export const AuditQuery = z.object({
    /** one month (YYYY-MM); shorthand for from/to covering it */
    month: z.optional(Month),
    /** instants (ISO 8601), inclusive; default: the last 12 months up to now */
    from: z.optional(z.iso.datetime({ offset: true }).check(z.maxLength(40))),
    to: z.optional(z.iso.datetime({ offset: true }).check(z.maxLength(40))),
    /** id of the user or API key that acted */
    actor: z.optional(IdRef(80)),
    /** action name, e.g. `registry.reveal`, `unit.update`, `accept` */
    action: z.optional(z.string().check(z.minLength(1), z.maxLength(60))),
    entity: z.optional(z.string().check(z.maxLength(40))),
    entityId: z.optional(IdFilter(80)),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
    cursor: z.optional(Cursor.check(z.maxLength(2000))),
  }).check(z.superRefine((q, ctx) => {
    if (q.entityId && !q.entity) ctx.addIssue({ code: "custom", message: "entityId needs entity", path: ["entityId"] });
    if (q.month && (q.from || q.to)) ctx.addIssue({ code: "custom", message: "give month or from/to, not both", path: ["month"] });
    if (q.from && q.to && Date.parse(q.from) > Date.parse(q.to)) ctx.addIssue({ code: "custom", message: "from is after to", path: ["from"] });
  }));
export type AuditQuery = z.infer<typeof AuditQuery>;

/** One partition the list reads: the month table partition or an index partition. */
export type Source = { index?: "gsi1" | "gsi2" | "gsi3"; pk: string };

const monthsBetween = (from: Date, to: Date): string[] => {
  const out: string[] = [];
  let y = to.getUTCFullYear();
  let m = to.getUTCMonth();
  const stop = from.getUTCFullYear() * 12 + from.getUTCMonth();
  while (y * 12 + m >= stop) {
    out.push(`${y}-${String(m + 1).padStart(2, "0")}`);
    m--;
    if (m < 0) {
      m = 11;
      y--;
    }
  }
  return out;
};

/**
 * Which partitions answer a query, newest first. The most selective filter given is the key:
 * the object (entity + id, gsi3), else the actor (gsi1), else the action (gsi2), else the month
 * partitions of the time range; the time range is a key condition on the ULID sort key, and the
 * other filters are FilterExpressions over that one partition.
 */
export function auditPlan(q: AuditQuery, now: Date, timeZone = "Asia/Shanghai"): { sources: Source[]; filters: { name: string; value: string }[]; lo: string; hi: string } {
  // `month` is the county's month (00:00 county time on the 1st to the next 1st), not UTC's
  const to = q.month ? new Date(zonedTimeToUtc(addMonthsToMonth(q.month, 1) + "-01", "00:00", timeZone).getTime() - 1) : q.to ? new Date(q.to) : now;
  const from = q.month ? zonedTimeToUtc(`${q.month}-01`, "00:00", timeZone) : q.from ? new Date(q.from) : new Date(to.getTime() - 365 * 86400_000);
  const lo = encodeTime(Math.max(0, from.getTime()), TIME_LEN) + "0".repeat(16);
  const hi = encodeTime(Math.max(0, to.getTime()), TIME_LEN) + "Z".repeat(16);
  const filters: { name: string; value: string }[] = [];
  let sources: Source[];
  if (q.entity && q.entityId) {
    sources = [{ index: "gsi3", pk: `AUDIT#OBJ#${q.entity}#${q.entityId}` }];
    if (q.actor) filters.push({ name: "actorId", value: q.actor });
    if (q.action) filters.push({ name: "action", value: q.action });
  } else if (q.actor) {
    sources = [{ index: "gsi1", pk: `AUDIT#ACTOR#${q.actor}` }];
    if (q.action) filters.push({ name: "action", value: q.action });
    if (q.entity) filters.push({ name: "entity", value: q.entity });
  } else if (q.action) {
    sources = [{ index: "gsi2", pk: `AUDIT#ACTION#${q.action}` }];
    if (q.entity) filters.push({ name: "entity", value: q.entity });
  } else {
    sources = monthsBetween(from, to).map((m) => ({ pk: keys.audit(m, "").pk }));
    if (q.entity) filters.push({ name: "entity", value: q.entity });
  }
  return { sources, filters, lo, hi };
}

/**
 * The subtrees whose audit entries a reader sees: null (everything) for audit:read held county-wide
 * (on `/` or the county root); otherwise the paths of their audit:read assignments. An entry is
 * theirs when its `unitPath` lies inside one of them; entries without a unit path (county
 * configuration, county-wide keys, settings) are county-level only.
 */
export function auditScopes(p: Principal): string[] | null {
  const scopes = scopesFor(p, "audit:read");
  if (scopes.some((s) => s.split("/").filter(Boolean).length <= 1)) return null;
  if (!scopes.length) throw new ForbiddenError("You may not read the audit log");
  return scopes;
}

/** Reads per request at most; a page is returned early only when it holds at least one entry. */
const READ_BUDGET = 25;

/**
 * Newest first, filtered in the query. The list reads on until the page is full or nothing more
 * matches, so a page is never empty while more results exist (only a page that already holds
 * entries may end early, after READ_BUDGET reads, with a cursor to go on).
 */
export async function listAudit(q: AuditQuery, now: Date, p: Principal) {
  const { sources, filters, lo, hi } = auditPlan(q, now, (await getSettings()).timeZone);
  const scopes = auditScopes(p);
  // the cursor is the last key read (or, between month partitions, `{pk}` of the next one)
  const cursor = decodeCursor(q.cursor);
  let si = 0;
  let start: Record<string, unknown> | undefined;
  if (cursor) {
    const index = sources[0].index;
    const at = index ? (cursor[`${index}pk`] === sources[0].pk ? 0 : -1) : sources.findIndex((x) => x.pk === cursor.pk);
    const wanted = index ? ["pk", "sk", `${index}pk`, `${index}sk`] : cursor.sk === undefined ? ["pk"] : ["pk", "sk"];
    const shape = Object.keys(cursor).sort().join() === [...wanted].sort().join();
    // a cursor of another list (other filters or partition) is not one this list issued: 400, not a storage error
    if (at < 0 || !shape) throw new InvalidError("Invalid cursor", { fields: [{ path: "cursor", message: "not a cursor of this list" }] });
    si = at;
    start = cursor.sk === undefined ? undefined : cursor;
  }
  const next = (i: number, key: Record<string, unknown> | undefined) => encodeCursor(key ?? { pk: sources[i].pk }) ?? null;
  const items: AuditEntry[] = [];
  let reads = 0;
  while (si < sources.length) {
    const src = sources[si];
    const pkName = src.index ? `${src.index}pk` : "pk";
    const skName = src.index ? `${src.index}sk` : "sk";
    const out = await auditRowsPage(src, lo, hi, filters, scopes, q.limit - items.length, start);
    reads++;
    let leftover = false;
    for (const row of out.rows) {
      if (items.length < q.limit) items.push(row);
      else leftover = true;
    }
    start = out.next;
    if (items.length >= q.limit) {
      // full: resume after the last entry returned (a page read past it with a filter must not skip entries)
      const last = items[items.length - 1];
      const lastKey = src.index
        ? { pk: keys.audit(last.at.slice(0, 7), last.id).pk, sk: last.id, [pkName]: src.pk, [skName]: last.id }
        : { pk: src.pk, sk: last.id };
      const more = leftover || start !== undefined || si + 1 < sources.length;
      if (!more) return { items, nextCursor: null };
      return { items, nextCursor: leftover || start !== undefined ? next(si, lastKey) : next(si + 1, undefined) };
    }
    if (!start) {
      si++;
    }
    if (reads >= READ_BUDGET && items.length > 0 && si < sources.length) {
      return { items, nextCursor: next(si, start) };
    }
  }
  return { items, nextCursor: null };
}
