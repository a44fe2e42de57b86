import type { Page } from "../db/page.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import { inScopes, requireScope, scopesFor, type Principal } from "../auth/principal.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { getUnit, getUnits } from "../unit/repo.ts";
import { parse } from "../validate.ts";
import { isLocked } from "../appraisal/repo.ts";
import { withPathNames } from "../appraisal/names.ts";
import { BUILTIN_INDICATORS, isBuiltin } from "./builtin.ts";
import { parseCsv } from "./csv.ts";
import { getDefinition, insertDefinition, listExternalDefinitions, replaceDefinition, unitIdsByCode, valuesPage, valuesUpdate, writeValues } from "./repo.ts";
import { CreateDefinition, DefinitionQuery, PostIndicators, PostValuesQuery, UpdateDefinition, ValuesQuery, asItems, MAX_VALUE_ROWS, type IndicatorDefinition, type UnitValues } from "./schema.ts";

type Field = { path: string; message: string };
const stale = (current: IndicatorDefinition | undefined) => new ConflictError("The indicator definition was changed by someone else; reload and retry", { current });

// ------------------------------------------------------------------ definitions

/** Built-in and configured definitions (county-wide reference data). */
export async function listDefinitions(_p: Principal, input: unknown): Promise<Page<IndicatorDefinition>> {
  const q = parse(DefinitionQuery, input, "query");
  const external = q.builtin === "true" ? [] : await listExternalDefinitions();
  const builtin = q.builtin === "false" ? [] : BUILTIN_INDICATORS;
  const items = [...builtin, ...external.map((d) => ({ ...d, subjects: ["unit" as const] }))]
    .filter((d) => !q.subject || d.subjects?.includes(q.subject))
    .filter((d) => !q.active || d.active === (q.active === "true"));
  return { items, nextCursor: null };
}

export async function createDefinition(p: Principal, input: unknown, now: Date): Promise<IndicatorDefinition> {
  requireCountyWide(p, "indicators:write");
  const data = parse(CreateDefinition, input, "indicator definition");
  if (isBuiltin(data.key)) throw new ConflictError(`${data.key} is a built-in indicator`, { fields: [{ path: "key", message: "built-in key" }] });
  const at = now.toISOString();
  const def: IndicatorDefinition = { ...data, builtin: false, subjects: ["unit"], active: true, version: 1, createdAt: at, updatedAt: at };
  const audit = auditPut({ actor: actorOf(p), action: "indicator.define", entity: "indicator", entityId: def.key, summary: `${def.key} ${def.name} (${def.unit})` }, now);
  if (!(await insertDefinition(def, audit))) throw new ConflictError(`Indicator ${def.key} already exists`, { fields: [{ path: "key", message: "duplicate key" }] });
  return def;
}

export async function updateDefinition(p: Principal, key: string, input: unknown, now: Date): Promise<IndicatorDefinition> {
  requireCountyWide(p, "indicators:write");
  if (isBuiltin(key)) throw new ConflictError(`${key} is a built-in indicator and cannot be changed`);
  const { version, ...changes } = parse(UpdateDefinition, input, "indicator definition update");
  const current = await getDefinition(key, true);
  if (!current) throw new NotFoundError(`Indicator ${key} not found`);
  if (current.version !== version) throw stale(current);
  const next: IndicatorDefinition = { ...current, version: current.version + 1, updatedAt: now.toISOString() };
  for (const [k, v] of Object.entries(changes) as [keyof typeof changes, unknown][]) {
    if (v === undefined) continue;
    if (v === null) delete (next as Record<string, unknown>)[k];
    else (next as Record<string, unknown>)[k] = v;
  }
  if (next.min !== undefined && next.max !== undefined && !(next.min < next.max)) {
    throw new InvalidError("Invalid indicator definition update", { fields: [{ path: "max", message: "min must be below max" }] });
  }
  const audit = auditPut({ actor: actorOf(p), action: "indicator.update", entity: "indicator", entityId: key, summary: `${key} ${next.name}`, changes: diff(current, next) }, now);
  if (!(await replaceDefinition(next, version, audit))) throw stale(await getDefinition(key, true));
  return next;
}

// rangeDefaults (direction and range of every usable indicator) is in ./ranges.ts: the appraisal run needs it without the definition and value routes' code
export { rangeDefaults } from "./ranges.ts";

// ------------------------------------------------------------------ values

/** Why a value does not fit its definition, or undefined. */
export function valueProblem(def: IndicatorDefinition | undefined, value: number): string | undefined {
  if (!def) return "unknown indicator";
  if (def.builtin) return "built-in indicators are computed, not entered";
  if (!def.active) return "inactive indicator";
  if (!Number.isFinite(value)) return "not a number";
  if (def.min !== undefined && value < def.min) return `below the minimum ${def.min}`;
  if (def.max !== undefined && value > def.max) return `above the maximum ${def.max}`;
  return undefined;
}

type Row = { path: string; period: string; unitId?: string; unitCode?: string; key: string; value: number };

const CSV_COLUMNS: Record<string, "period" | "unit" | "unitId" | "unitCode" | "key" | "value"> = {
  period: "period",
  month: "period",
  月份: "period",
  unit: "unit",
  unitid: "unitId",
  unit_id: "unitId",
  unitcode: "unitCode",
  unit_code: "unitCode",
  单位编码: "unitCode",
  key: "key",
  indicator: "key",
  指标: "key",
  value: "value",
  数值: "value",
};

/**
 * Rows of a CSV upload: header `period,unit,key,value` (unit: a unit code, or id; or columns
 * unitCode / unitId), with the problems of each row's cells (a missing unit, a value that is no
 * number); the rows are checked further by the caller, so one answer lists every bad row.
 */
export function csvRows(text: string): { rows: Row[]; fields: Field[] } {
  let table: string[][];
  try {
    table = parseCsv(text);
  } catch (e) {
    throw new InvalidError(`Invalid CSV: ${(e as Error).message}`);
  }
  const [header, ...body] = table;
  if (!header) throw new InvalidError("Empty CSV: expected a header row period,unit,key,value");
  const cols = header.map((h) => CSV_COLUMNS[h.trim().toLowerCase()] ?? CSV_COLUMNS[h.trim()]);
  const need = ["period", "key", "value"].filter((c) => !cols.includes(c as never));
  if (need.length || !cols.some((c) => c === "unit" || c === "unitId" || c === "unitCode")) {
    throw new InvalidError("The CSV header must name the columns period, unit (or unitCode / unitId), key, value", { fields: [{ path: "rows.1", message: `header: ${header.join(",")}` }] });
  }
  if (body.length > MAX_VALUE_ROWS) throw new InvalidError(`At most ${MAX_VALUE_ROWS} rows per upload`);
  const fields: Field[] = [];
  const rows: Row[] = [];
  body.forEach((cells, i) => {
    const line = `rows.${i + 2}`;
    const get = (c: string) => cells[cols.indexOf(c as never)]?.trim() ?? "";
    const unit = get("unit") || get("unitCode") || get("unitId");
    const byCode = get("unitCode") !== "" || (get("unit") !== "" && /^\d{6,24}$/.test(get("unit")));
    const raw = get("value");
    const value = raw === "" ? NaN : Number(raw);
    if (!unit) fields.push({ path: `${line}.unit`, message: "required" });
    if (!Number.isFinite(value)) fields.push({ path: `${line}.value`, message: "not a number" });
    rows.push({ path: line, period: get("period"), ...(byCode ? { unitCode: unit } : { unitId: unit }), key: get("key"), value });
  });
  return { rows, fields };
}

function jsonRows(body: unknown): Row[] {
  const data = parse(PostIndicators, asItems(body), "indicator values");
  return data.items.flatMap((it, i) =>
    Object.entries(it.values).map(([key, value]) => ({ path: `items.${i}.values.${key}`, period: data.period, ...(it.unitId ? { unitId: it.unitId } : { unitCode: it.unitCode }), key, value })),
  );
}

/** The problems, ordered by row (line or item number), then as found. */
function byRow(fields: Field[]): Field[] {
  const n = (f: Field) => Number(/^(?:rows|items)\.(\d+)/.exec(f.path)?.[1] ?? 0);
  return fields.map((f, i) => ({ f, i })).sort((a, b) => n(a.f) - n(b.f) || a.i - b.i).map(({ f }) => f);
}

/**
 * Enter external indicator values (`POST /v1/indicators`, JSON or CSV): every row is checked in
 * one pass — its cells, month (and, with `?period=`, that it is the month being imported),
 * definition, value range, unit and scope — and the answer is 400 with every bad row, ordered by
 * line, and nothing written; a locked month is refused (409). Each unit-month is one item; values
 * of other indicators stay.
 */
export async function postIndicatorValues(p: Principal, body: unknown, now: Date, query: unknown = {}): Promise<{ periods: string[]; units: number; values: number }> {
  const q = parse(PostValuesQuery, query, "query");
  const parsed = typeof body === "string" ? csvRows(body) : { rows: jsonRows(body), fields: [] as Field[] };
  const { rows } = parsed;
  if (!rows.length) throw new InvalidError("No values given");
  const fields: Field[] = [...parsed.fields];
  for (const r of rows) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(r.period)) fields.push({ path: `${r.path}.period`, message: `a month YYYY-MM, not "${r.period}"` });
    else if (q.period && r.period !== q.period) fields.push({ path: `${r.path}.period`, message: `${r.period} is not the month being imported (${q.period})` });
  }

  const defs = new Map((await listExternalDefinitions()).map((d) => [d.key, d]));
  const byCode = await unitIdsByCode([...new Set(rows.flatMap((r) => (r.unitCode ? [r.unitCode] : [])))]);
  const ids = [...new Set(rows.map((r) => r.unitId ?? byCode.get(r.unitCode!) ?? ""))].filter(Boolean);
  const units = await getUnits(ids);
  const scopes = scopesFor(p, "indicators:write");
  for (const r of rows) {
    const def = isBuiltin(r.key) ? BUILTIN_INDICATORS.find((d) => d.key === r.key) : defs.get(r.key);
    // a value that is no number was reported with the row's cells
    const problem = !def || Number.isFinite(r.value) ? valueProblem(def, r.value) : undefined;
    if (problem) fields.push({ path: `${r.path}${r.path.includes(".values.") ? "" : ".key"}`, message: `${r.key || "(empty)"}: ${problem}` });
    if (!r.unitId && !r.unitCode) continue; // reported with the row's cells
    const u = units.get(r.unitId ?? byCode.get(r.unitCode!) ?? "");
    if (!u || !u.active) fields.push({ path: `${r.path}.unit`, message: `unknown or inactive unit ${r.unitId ?? r.unitCode}` });
    else if (!inScopes(u.path, scopes)) fields.push({ path: `${r.path}.unit`, message: "outside your part of the hierarchy" });
  }
  if (fields.length) throw new InvalidError("Invalid indicator values", { fields: byRow(fields).slice(0, 500) });
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  for (const pd of periods) if (await isLocked(pd)) throw new ConflictError(`The appraisal of ${pd} is locked`, { period: pd });

  // one update per unit-month, later rows win
  const groups = new Map<string, { period: string; unitId: string; values: Record<string, number> }>();
  for (const r of rows) {
    const unitId = (r.unitId ?? byCode.get(r.unitCode!))!;
    const g = groups.get(`${r.period}|${unitId}`) ?? { period: r.period, unitId, values: {} };
    g.values[r.key] = r.value;
    groups.set(`${r.period}|${unitId}`, g);
  }
  const at = now.toISOString();
  const by = actorOf(p);
  const updates = [...groups.values()].map((g) => {
    const u = units.get(g.unitId)!;
    return valuesUpdate(g.period, { id: u.id, code: u.code, path: u.path }, g.values, by, at);
  });
  const audit = auditPut(
    { actor: by, action: "indicators.enter", entity: "indicators", entityId: periods.join(","), summary: `${rows.length} values for ${groups.size} units (${periods.join(", ")})` },
    now,
  );
  // validated above: the chunks only fail on infrastructure errors; the first one carries the audit entry
  await writeValues(audit, updates);
  return { periods, units: groups.size, values: rows.length };
}

/** Values of a month, in unit path order; `unitId` limits them to that unit's subtree. */
export async function listIndicatorValues(p: Principal, input: unknown): Promise<Page<UnitValues & { pathName?: string }>> {
  const q = parse(ValuesQuery, input, "query");
  const scopes = scopesFor(p, "appraisals:read");
  let prefix: string;
  if (q.unitId) {
    const u = await getUnit(q.unitId);
    if (!u) throw new InvalidError("Unknown unit", { fields: [{ path: "unitId", message: "unknown unit" }] });
    requireScope(p, "appraisals:read", u.path);
    prefix = u.path;
  } else {
    if (!scopes.length) throw new ForbiddenError();
    // the one scope containing all the others, else the whole county filtered by scope
    prefix = scopes.find((s) => scopes.every((t) => t.startsWith(s))) ?? "/";
  }
  const page = await valuesPage(q.period, prefix, q, (v) => inScopes(v.unitPath, scopes));
  // the unit as people name it: its path of names
  return { ...page, items: await withPathNames(page.items) };
}
