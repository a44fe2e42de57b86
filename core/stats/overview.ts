/**
 * The dashboard's and the big screen's numbers, exact, from the aggregates (core/aggregate/apply.ts):
 * the month's counters (`AGG#<month>`), the county day's (the `dDD_` attributes of the current
 * month's item, core/aggregate/month-item.ts) and the open count (core/aggregate/fold.ts openNow) of the caller's
 * units and their children, plus every department's month counters.
 * Reads: one BatchGet per 100 (unit, period) keys and one Query of the month's department items,
 * so they grow with the number of units and departments, never with the number of cases.
 */
import * as z from "zod/mini";
import { IdRef } from "../db/ids.ts";
import { countyDay, countyMonth } from "../aggregate/apply.ts";
import { openNow } from "../aggregate/fold.ts";
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { isCountyWide } from "../settings/scope.ts";
import { getSettings } from "../settings/settings.ts";
import { activeChildren, countyRootId, getUnit, getUnits } from "../unit/repo.ts";
import { aggregateItems, departmentAggregates } from "./repo.ts";
import { dayCounters, monthCounters } from "../aggregate/month-item.ts";
import { parse } from "../validate.ts";

export const OverviewQuery = z.strictObject({
    /** county month, default the current one */
    month: z.optional(z.string().check(z.maxLength(7), z.regex(/^\d{4}-(0[1-9]|1[0-2])$/))),
    /** the unit to look at (default: the caller's own units); its children are listed */
    unitId: z.optional(IdRef(80)),
  });

type Counters = Record<string, number>;

/** The month's counters of an aggregate item (numeric attributes without keys, day attributes, openDelta). */
const counters = monthCounters;

function sum(list: Counters[]): Counters {
  const out: Counters = {};
  for (const c of list) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
  return out;
}

const previousMonth = (m: string) => {
  const [y, mo] = m.split("-").map(Number);
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, "0")}`;
};

export async function overview(p: Principal, input: unknown, now: Date) {
  const q = parse(OverviewQuery, input, "query");
  const scopes = scopesFor(p, "cases:read");
  if (!scopes.length) throw new ForbiddenError();
  const tz = (await getSettings()).timeZone;
  const month = q.month ?? countyMonth(now, tz);
  const day = countyDay(now, tz);
  const thisMonth = countyMonth(now, tz); // today's counters live on the current month's item
  const prev = previousMonth(month);

  // the units looked at: the asked one (inside the caller's part), else the caller's own units
  let rootIds: string[];
  if (q.unitId) {
    const u = await getUnit(q.unitId);
    if (!u || !inScopes(u.path, scopes)) throw new NotFoundError(`Unit ${q.unitId} not found`);
    rootIds = [u.id];
  } else {
    const ids = new Set<string>();
    for (const s of scopes) {
      const last = s.split("/").filter(Boolean).pop();
      const id = last ?? (await countyRootId());
      if (id) ids.add(id);
    }
    rootIds = [...ids];
  }
  // children of a single unit are its breakdown; with several own units, they are the breakdown
  const children = rootIds.length === 1 ? await activeChildren(rootIds[0]) : [...(await getUnits(rootIds)).values()];
  const roots = await getUnits(rootIds);
  const unitIds = [...new Set([...rootIds, ...children.map((c) => c.id)])];
  const periods = [...new Set([month, prev, thisMonth])];
  const [got, openCounts] = await Promise.all([
    aggregateItems(unitIds.flatMap((id) => periods.map((period) => ({ period, subject: `unit#${id}` })))),
    // open now: the base (AGG#live) plus the months not folded yet (core/aggregate/fold.ts)
    openNow(unitIds, now),
  ]);
  const raw = (period: string, id: string) => got.get(`AGG#${period}|unit#${id}`);
  const read = (period: string, id: string) => counters(raw(period, id));

  // departments: county-level figures, for callers who see the whole county
  const departments: { id: string; month: Counters }[] = [];
  if (scopes.some(isCountyWide)) {
    for (const d of await departmentAggregates(month)) departments.push({ id: d.id, month: counters(d.item) });
  }

  const byUnit = (ids: string[]) => ({
    month: sum(ids.map((id) => read(month, id))),
    previous: sum(ids.map((id) => read(prev, id))),
    today: sum(ids.map((id) => dayCounters(raw(thisMonth, id), day))),
    open: ids.reduce((n, id) => n + (openCounts.get(id) ?? 0), 0),
  });
  return {
    month,
    day,
    previousMonth: prev,
    units: rootIds.map((id) => ({ id, name: roots.get(id)?.name ?? id, path: roots.get(id)?.path ?? "" })),
    totals: byUnit(rootIds),
    children: (rootIds.length === 1 ? children : [...roots.values()]).map((u) => ({ id: u.id, name: u.name, code: u.code, path: u.path, ...(u.boundary ? { boundary: u.boundary } : {}), ...byUnit([u.id]) })),
    departments,
  };
}
