/**
 * What the console needs to explain a result and draw the county map, from the stored results
 * (no recomputation): a result beside last month's with every indicator's definition (name,
 * formula, unit), its weight, range, sub-score and the points it cost; the bands or grades of the
 * rules version used; unit paths as names ("金山社区 › 第1网格"); and a month's units of one level
 * with their boundaries and bands.
 */
import * as keys from "../db/keys.ts";
import { ForbiddenError, InvalidError } from "../errors.ts";
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { isCountyWide } from "../settings/scope.ts";
import { getUnit, unitsOfLevelUnder } from "../unit/repo.ts";
import { pathNames, withPathNames } from "./names.ts";
import { parse } from "../validate.ts";
import { round2 } from "../indicator/compute.ts";
import { BUILTIN_BY_KEY } from "../indicator/builtin.ts";
import { batchGet, listExternalDefinitions } from "../indicator/repo.ts";
import { previousPeriod } from "./period.ts";
import { getAppraisal, getRunRaw, type AppraisalItem } from "./repo.ts";
import { getScoringRules } from "./rules.ts";
import { readAppraisal } from "./service.ts";
import { MapQuery, Period } from "./schema.ts";
import type { Line } from "./score.ts";

type Definition = { name: string; unit: string; formula?: string; direction?: string };

async function definitions(): Promise<Map<string, Definition>> {
  const out = new Map<string, Definition>();
  for (const [k, d] of BUILTIN_BY_KEY) out.set(k, { name: d.name, unit: d.unit, formula: d.description, direction: d.direction });
  for (const d of await listExternalDefinitions()) out.set(d.key, { name: d.name, unit: d.unit, formula: d.description, direction: d.direction });
  return out;
}

export type ExplainedLine = Line & {
  name?: string;
  unit?: string;
  formula?: string;
  /** the weight as a share of the weights that counted (0–1), null when left out */
  share: number | null;
  /** score points this line did not earn: share × (100 − sub-score) */
  lost: number | null;
  previousValue: number | null;
  valueDelta: number | null;
};

export type Explanation = {
  result: AppraisalItem & { pathName?: string };
  /** last month's result of the same subject, or null */
  previous: { period: string; score: number | null; band: AppraisalItem["band"] | null; grade: string | null; rulesVersion: number | null } | null;
  lines: ExplainedLine[];
  /** every indicator of the month beside last month's value */
  indicators: { key: string; name?: string; unit?: string; formula?: string; value: number | null; previous: number | null; delta: number | null }[];
  /** units: the bands of the rules version used, each with its upper bound, and the one the result is in */
  bands?: { min: number; max: number; color: string; label: string; name?: string; current: boolean }[];
  /** units: the next better band and the score points missing to reach it */
  nextBand?: { color: string; label: string; name?: string; min: number; gap: number } | null;
  grades?: { grade: string; min: number; current: boolean }[];
  rulesVersion: number;
  /** the version in force now: a re-run (of a month not locked) would use it */
  currentRulesVersion: number;
  locked: boolean;
};

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : round2(a - b));

/** `GET /v1/appraisals/{subject}/{id}/{period}/explain`: why a result is what it is, and what changed since last month. */
export async function explainAppraisal(p: Principal, subject: string, id: string, period: string): Promise<Explanation> {
  const a = await readAppraisal(p, subject, id, period);
  const prevPeriod = previousPeriod(a.period);
  const [prev, defs, run, rules, [named]] = await Promise.all([
    getAppraisal(prevPeriod, a.subject, a.id),
    definitions(),
    getRunRaw(a.period, false),
    getScoringRules(),
    withPathNames([a]),
  ]);
  const basis = a.breakdown.lines.reduce((s, l) => (l.subScore === null ? s : s + l.weight), 0);
  const lines: ExplainedLine[] = a.breakdown.lines.map((l) => {
    const d = defs.get(l.key);
    const share = l.subScore === null || basis === 0 ? null : l.weight / basis;
    const previousValue = num(prev?.indicators?.[l.key]) ?? (prev ? num(prev.breakdown?.lines.find((x) => x.key === l.key)?.value) : null);
    return {
      ...l,
      ...(d ? { name: d.name, unit: d.unit, formula: d.formula } : {}),
      share: share === null ? null : round2(share * 10000) / 10000,
      lost: share === null ? null : round2(share * (100 - (l.subScore ?? 0))),
      previousValue,
      valueDelta: delta(l.value, previousValue),
    };
  });
  const indicators = Object.keys(a.indicators ?? {}).map((key) => {
    const d = defs.get(key);
    const value = num(a.indicators[key]);
    const previous = prev ? num(prev.indicators?.[key]) : null;
    return { key, ...(d ? { name: d.name, unit: d.unit, formula: d.formula } : {}), value, previous, delta: delta(value, previous) };
  });
  const out: Explanation = {
    result: named,
    previous: prev ? { period: prevPeriod, score: prev.score, band: prev.band ?? null, grade: prev.grade ?? null, rulesVersion: prev.rules?.version ?? null } : null,
    lines,
    indicators,
    rulesVersion: a.rules?.version ?? 0,
    currentRulesVersion: rules.version,
    locked: run?.locked === true,
  };
  const bands = a.rules?.fiveColor?.bands;
  if (a.subject === "unit" && bands) {
    out.bands = bands.map((b, i) => ({ ...b, max: bands[i + 1]?.min ?? 100, current: a.band?.rank === i + 1 }));
    const next = a.score === null || !a.band ? undefined : bands[a.band.rank];
    out.nextBand = next ? { color: next.color, label: next.label, ...(next.name ? { name: next.name } : {}), min: next.min, gap: round2(next.min - a.score!) } : null;
  }
  const grades = a.rules?.department?.grades ?? a.rules?.worker?.grades;
  if (a.subject !== "unit" && grades) out.grades = grades.map((g) => ({ ...g, current: g.grade === a.grade }));
  return out;
}

export type MapItem = { id: string; name: string; code: string; level: string; pathName: string; score: number | null; band: AppraisalItem["band"] | null; boundary?: unknown };

/** Units shown at most on one map. */
export const MAP_MAX_UNITS = 2000;

/**
 * `GET /v1/appraisals/{period}/map?level=grid`: the month's units of one level in the caller's
 * part of the hierarchy with their boundary, score and band, and the bands to draw the legend
 * with. Reads the units of the subtree (one Query) and their results (BatchGet): proportional to
 * the units drawn.
 */
export async function appraisalMap(p: Principal, period: string, input: unknown): Promise<{ period: string; level: string; items: MapItem[]; bands: { min: number; color: string; label: string; name?: string }[]; truncated: boolean }> {
  const pd = parse(Period, period, "period");
  const q = parse(MapQuery, input, "query");
  const scopes = scopesFor(p, "appraisals:read");
  let prefix = "/";
  if (q.unit) {
    const u = await getUnit(q.unit);
    if (!u) throw new InvalidError("Unknown unit", { fields: [{ path: "unit", message: "unknown unit" }] });
    if (!inScopes(u.path, scopes)) throw new ForbiddenError("This unit is outside your part of the hierarchy");
    prefix = u.path;
  } else if (!scopes.some(isCountyWide)) {
    prefix = scopes.find((s) => scopes.every((t) => t.startsWith(s))) ?? "/";
  }
  const { units, truncated } = await unitsOfLevelUnder(prefix, q.level, scopes, MAP_MAX_UNITS);
  const [results, names, run, rules] = await Promise.all([
    batchGet(units.map((u) => keys.appraisal(pd, "unit", u.id as string)), ["id", "score", "band"]),
    pathNames(units.map((u) => u.path as string)),
    getRunRaw(pd, false),
    getScoringRules(),
  ]);
  const byId = new Map(results.map((r) => [r.id as string, r]));
  return {
    period: pd,
    level: q.level,
    bands: (run?.rules ?? rules).fiveColor.bands,
    truncated,
    items: units.map((u) => {
      const r = byId.get(u.id as string);
      return {
        id: u.id as string,
        name: u.name as string,
        code: u.code as string,
        level: u.level as string,
        pathName: names.get(u.path as string) ?? (u.name as string),
        score: r ? ((r.score as number | null) ?? null) : null,
        band: r ? ((r.band as MapItem["band"]) ?? null) : null,
        ...(u.boundary ? { boundary: u.boundary } : {}),
      };
    }),
  };
}
