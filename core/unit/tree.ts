/**
 * The console's unit tree and county map of grids, with case figures rolled up from the aggregates
 * (core/aggregate/apply.ts): each unit's live open count (`AGG#live`, kept per unit of the case's
 * path, so a street's figure is its whole subtree) and the month's counters (`AGG#<month>`:
 * reports, closed, overdue events by stage). Households and population are the unit's own figures
 * (imported or entered with the unit).
 *
 * `GET /v1/units/tree?parentId=` — one level at a time (children ordered by code, paged), so a
 * county of 6,168 micro-grids is never loaded at once: one Query of the children plus one BatchGet
 * of two aggregate keys per child. Without `parentId`: the caller's own top units.
 *
 * `GET /v1/units/map?level=grid` — every active unit of one level in the caller's part of the
 * hierarchy with its boundary (coordinates rounded to 1e-5°, about a metre, repeated points
 * dropped) and its open/overdue figures: one Query of the subtree (projected) and one BatchGet per
 * 50 units.
 *
 * Figures are given only for units inside the caller's `cases:read` scope; a unit shown for context
 * (an ancestor of the caller's units) has none.
 */
import * as z from "zod/mini";
import { Cursor, IdRef } from "../db/ids.ts";
import * as keys from "../db/keys.ts";
import { queryPage } from "../db/page.ts";
import { strip } from "../db/items.ts";
import { aggregateKey, countyMonth } from "../aggregate/apply.ts";
import { openNow } from "../aggregate/fold.ts";
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { InvalidError } from "../errors.ts";
import { parse } from "../validate.ts";
import { isCountyWide } from "../settings/scope.ts";
import { getSettings } from "../settings/settings.ts";
import { batchGet } from "../indicator/repo.ts";
import { pathNames } from "../appraisal/names.ts";
import { countyRootId, getUnits, unitsOfLevelUnder } from "./repo.ts";
import { canRead, readUnit } from "./read.ts";
import type { Unit } from "./schema.ts";
import type { Boundary } from "../geo/schema.ts";
import { tallyKey, type Tally } from "../registry/repo-tally.ts";

const Month = z.string().check(z.maxLength(7), z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, "YYYY-MM"));

export const TreeQuery = z
  .object({
    /** the unit whose children are listed; absent: the caller's own top units */
    parentId: z.optional(IdRef(80)),
    /** county month of the monthly figures, default the current one */
    month: z.optional(Month),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 100),
    cursor: z.optional(Cursor),
  });

export const MapQuery = z
  .object({
    /** level key of the units drawn (grid, micro_grid, community, street) */
    level: z._default(z.string().check(z.maxLength(32), z.regex(/^[a-z_]{2,32}$/)), "grid"),
    /** only this unit's subtree (inside the caller's part) */
    unitId: z.optional(IdRef(80)),
    month: z.optional(Month),
  });

/** The answers, for the API reference (core/openapi). */
const Figures = z.object({ open: z.number().check(z.int()), overdue: z.number().check(z.int()), reports: z.number().check(z.int()), closed: z.number().check(z.int()) });
const TreeNodeShape = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  level: z.string(),
  depth: z.number().check(z.int()),
  type: z.string(),
  active: z.boolean(),
  leaf: z.boolean(),
  households: z.optional(z.number().check(z.int())),
  population: z.optional(z.number().check(z.int())),
  figures: z.optional(Figures),
  registry: z.optional(z.object({ households: z.number().check(z.int()), people: z.number().check(z.int()), places: z.number().check(z.int()) })),
});
export const UnitTreePage = z.object({ month: z.string(), parent: z.nullable(TreeNodeShape), items: z.array(TreeNodeShape), nextCursor: z.nullable(z.string()) });
export const UnitMapPage = z.object({
  month: z.string(),
  level: z.string(),
  truncated: z.boolean(),
  items: z.array(z.object({ id: z.string(), name: z.string(), code: z.string(), pathName: z.string(), boundary: z.optional(z.unknown()), figures: z.optional(Figures) })),
});

/** Case figures of a unit's subtree. */
export interface UnitFigures {
  /** cases open now */
  open: number;
  /** overdue events of the month (a stage passed its deadline), every stage */
  overdue: number;
  /** reports of the month */
  reports: number;
  /** cases closed in the month */
  closed: number;
}

export interface TreeNode {
  id: string;
  name: string;
  code: string;
  level: string;
  depth: number;
  type: string;
  active: boolean;
  /** the deepest level: nothing to expand */
  leaf: boolean;
  households?: number;
  population?: number;
  /** absent when the caller may not read the unit's cases */
  figures?: UnitFigures;
  /** registry records of the unit's subtree (core/registry/repo-tally.ts); absent when the caller may not read the unit's registry */
  registry?: Tally;
}

export interface MapUnit {
  id: string;
  name: string;
  code: string;
  pathName: string;
  boundary?: Boundary;
  figures?: UnitFigures;
}

/** Units drawn at most on one map (a county has ~6,200 micro-grids; grids are a few hundred). */
export const MAP_MAX_UNITS = 8000;

/** The figures of units from their live and monthly aggregate items (BatchGet, 100 keys a call). */
async function figuresOf(ids: string[], month: string, now: Date): Promise<Map<string, UnitFigures>> {
  // open now: the base (AGG#live) plus the months not folded yet (core/aggregate/fold.ts)
  const [rows, open] = await Promise.all([batchGet(ids.map((id) => aggregateKey(month, `unit#${id}`))), openNow(ids, now)]);
  const monthly = new Map<string, Record<string, unknown>>();
  for (const r of rows) monthly.set(String(r.sk).slice("unit#".length), r);
  const num = (v: unknown) => (typeof v === "number" ? v : 0);
  const out = new Map<string, UnitFigures>();
  for (const id of ids) {
    const m = monthly.get(id) ?? {};
    const overdue = Object.entries(m).reduce((s, [k, v]) => (k.startsWith("overdue_") ? s + num(v) : s), 0);
    out.set(id, { open: open.get(id) ?? 0, overdue, reports: num(m.reports), closed: num(m.closed) });
  }
  return out;
}

/** Registry counts of units' subtrees (one BatchGet per 100 units; a unit never counted has zeros). */
async function talliesOf(ids: string[]): Promise<Map<string, Tally>> {
  const rows = await batchGet(ids.map(tallyKey));
  const out = new Map<string, Tally>(ids.map((id) => [id, { households: 0, people: 0, places: 0 }]));
  for (const r of rows) out.set(String(r.sk).slice("unit#".length), { households: Number(r.households ?? 0), people: Number(r.people ?? 0), places: Number(r.places ?? 0) });
  return out;
}

function node(u: Unit, deepest: number, figures: UnitFigures | undefined, registry?: Tally): TreeNode {
  return {
    id: u.id,
    name: u.name,
    code: u.code,
    level: u.level,
    depth: u.depth,
    type: u.type,
    active: u.active,
    leaf: u.depth >= deepest,
    ...(u.households !== undefined ? { households: u.households } : {}),
    ...(u.population !== undefined ? { population: u.population } : {}),
    ...(figures ? { figures } : {}),
    ...(registry ? { registry } : {}),
  };
}

/** The caller's top units: the county for county-wide staff, else each scope not inside another. */
async function topUnitIds(scopes: string[]): Promise<string[]> {
  if (scopes.some(isCountyWide)) {
    const root = await countyRootId();
    return root ? [root] : [];
  }
  const minimal = scopes.filter((s) => !scopes.some((t) => t !== s && s.startsWith(t)));
  return [...new Set(minimal.map((s) => s.split("/").filter(Boolean).pop()!).filter(Boolean))];
}

export async function unitTree(p: Principal, input: unknown, now: Date) {
  const q = parse(TreeQuery, input, "query");
  const settings = await getSettings();
  const month = q.month ?? countyMonth(now, settings.timeZone);
  const deepest = settings.levels.length;
  const caseScopes = scopesFor(p, "cases:read");
  const registryScopes = scopesFor(p, "registry:read");
  const withFigures = async (units: Unit[]) => {
    const counted = units.filter((u) => inScopes(u.path, caseScopes)).map((u) => u.id);
    const registered = units.filter((u) => inScopes(u.path, registryScopes)).map((u) => u.id);
    const [figures, tallies] = await Promise.all([
      counted.length ? figuresOf(counted, month, now) : new Map<string, UnitFigures>(),
      registered.length ? talliesOf(registered) : new Map<string, Tally>(),
    ]);
    return units.map((u) => node(u, deepest, figures.get(u.id), tallies.get(u.id)));
  };
  if (!q.parentId) {
    const ids = await topUnitIds(scopesFor(p, "units:read"));
    const found = await getUnits(ids);
    const units = [...found.values()].filter((u) => canRead(p, u)).sort((a, b) => a.code.localeCompare(b.code));
    return { month, parent: null, items: await withFigures(units), nextCursor: null };
  }
  const parent = await readUnit(p, q.parentId);
  const page = await queryPage<Unit>(
    {
      IndexName: "gsi2",
      KeyConditionExpression: "gsi2pk = :pk",
      FilterExpression: "active = :t",
      ExpressionAttributeValues: { ":pk": keys.unitChild(parent.id, "").gsi2pk, ":t": true },
    },
    { limit: q.limit, cursor: q.cursor },
    { map: (raw) => (canRead(p, raw as unknown as Unit) ? strip<Unit>(raw) : undefined) },
  );
  const [parentNode] = await withFigures([parent]);
  return { month, parent: parentNode, items: await withFigures(page.items), nextCursor: page.nextCursor };
}

/** A ring with coordinates rounded to 1e-5° and repeated points dropped (kept as is when that would break it). */
function roundRing(ring: number[][]): number[][] {
  const out: number[][] = [];
  for (const [x, y] of ring) {
    const pt = [Math.round(x * 1e5) / 1e5, Math.round(y * 1e5) / 1e5];
    const last = out[out.length - 1];
    if (!last || last[0] !== pt[0] || last[1] !== pt[1]) out.push(pt);
  }
  return out.length >= 4 ? out : ring;
}

/** The boundary at map precision (about a metre): a third of the JSON of full precision. */
export function mapBoundary(b: Boundary): Boundary {
  if (b.type === "Polygon") return { type: "Polygon", coordinates: b.coordinates.map(roundRing) } as Boundary;
  return { type: "MultiPolygon", coordinates: b.coordinates.map((poly) => poly.map(roundRing)) } as Boundary;
}

export async function unitMap(p: Principal, input: unknown, now: Date) {
  const q = parse(MapQuery, input, "query");
  const settings = await getSettings();
  const levelKeys = ["county", ...settings.levels.map((l) => l.key)];
  if (!levelKeys.includes(q.level)) throw new InvalidError("Unknown level", { fields: [{ path: "level", message: `one of ${levelKeys.join(", ")}` }] });
  const month = q.month ?? countyMonth(now, settings.timeZone);
  const scopes = scopesFor(p, "units:read");
  // the subtrees drawn: the asked unit's, else the caller's own
  const prefixes = q.unitId ? [(await readUnit(p, q.unitId)).path] : scopes.some(isCountyWide) ? ["/"] : scopes.filter((s) => !scopes.some((t) => t !== s && s.startsWith(t)));
  const raw: Record<string, unknown>[] = [];
  let truncated = false;
  for (const prefix of prefixes) {
    const part = await unitsOfLevelUnder(prefix, q.level, scopes, MAP_MAX_UNITS - raw.length);
    raw.push(...part.units);
    truncated = part.truncated;
    if (truncated) break;
  }
  const caseScopes = scopesFor(p, "cases:read");
  const counted = raw.filter((u) => inScopes(u.path as string, caseScopes)).map((u) => u.id as string);
  const [figures, names] = await Promise.all([counted.length ? figuresOf(counted, month, now) : new Map<string, UnitFigures>(), pathNames(raw.map((u) => u.path as string))]);
  const items: MapUnit[] = raw.map((u) => {
    const f = figures.get(u.id as string);
    return {
      id: u.id as string,
      name: u.name as string,
      code: u.code as string,
      pathName: names.get(u.path as string) ?? (u.name as string),
      ...(u.boundary ? { boundary: mapBoundary(u.boundary as Boundary) } : {}),
      ...(f ? { figures: f } : {}),
    };
  });
  return { month, level: q.level, items, truncated };
}
