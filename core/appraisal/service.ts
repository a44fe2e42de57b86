import * as z from "zod/mini";
import { strip } from "../db/items.ts";
import type { Page } from "../db/page.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../errors.ts";
import { actorOf, auditPut } from "../audit/entry.ts";
import { inScopes, scopesFor, type Principal } from "../auth/principal.ts";
import { isCountyWide, requireCountyWide } from "../settings/scope.ts";
import { getUnit } from "../unit/repo.ts";
import { parse } from "../validate.ts";
import { BUILTIN_INDICATORS } from "../indicator/builtin.ts";
import { toCsv } from "../indicator/csv.ts";
import { allAppraisals, appraisalsByPlacePage, appraisalsByScorePage, getAppraisal, getRunRaw, lockRun, runsPage, runView, type AppraisalItem, type RunView } from "./repo.ts";
import { AppraisalQuery, ExportQuery, Period, Subject } from "./schema.ts";
import { pathNames, withPathNames } from "./names.ts";

/** A result in a list: everything but the inputs, the breakdown and the rules (read one result for those). */
export type AppraisalSummary = Omit<AppraisalItem, "inputs" | "breakdown" | "rules"> & { rulesVersion: number; pathName?: string; breakdown?: AppraisalItem["breakdown"] };

const summary = (a: AppraisalItem, withBreakdown = false): AppraisalSummary => {
  const { inputs: _i, breakdown, rules, ...rest } = a;
  return { ...rest, rulesVersion: rules?.version ?? 0, ...(withBreakdown ? { breakdown } : {}) };
};

/**
 * The unit path prefix the caller may list: the asked unit (in scope), else the one scope that
 * contains all the caller's others ("/" for county-wide staff); 400 when the caller has several
 * separate scopes and names no unit.
 */
async function listPrefix(p: Principal, unitId: string | undefined): Promise<string> {
  const scopes = scopesFor(p, "appraisals:read");
  if (unitId) {
    const u = await getUnit(unitId);
    if (!u) throw new InvalidError("Unknown unit", { fields: [{ path: "unit", message: "unknown unit" }] });
    if (!inScopes(u.path, scopes)) throw new ForbiddenError("This unit is outside your part of the hierarchy");
    return u.path;
  }
  if (scopes.some(isCountyWide)) return "/";
  const outer = scopes.find((s) => scopes.every((t) => t.startsWith(s)));
  if (!outer) throw new InvalidError("Name the unit whose appraisals to list", { fields: [{ path: "unit", message: "required for staff of several units" }] });
  return outer;
}

/**
 * `GET /v1/appraisals`: a month's results of one kind, by place (unit path; departments by code)
 * or by score (best first, or worst first without the unrated), paginated. Units and workers are
 * limited to the caller's part of the hierarchy; departments are county-wide.
 */
export async function listAppraisals(p: Principal, input: unknown): Promise<Page<AppraisalSummary>> {
  const q = parse(AppraisalQuery, input, "query");
  const page = await listPage(p, q);
  return { ...page, items: await withPathNames(page.items) };
}

async function listPage(p: Principal, q: AppraisalQuery): Promise<Page<AppraisalSummary>> {
  const prefix = q.subject === "department" ? "/" : await listPrefix(p, q.unit);
  const map = (raw: Record<string, unknown>) => summary(strip<AppraisalItem>(raw)!, q.detail === "breakdown");
  const within = prefix !== "/" && q.subject !== "department" ? prefix : undefined;
  if (q.sort === "place") return appraisalsByPlacePage(q.period, q.subject, within, q, map);
  return appraisalsByScorePage(q.period, q.subject, within, q.sort === "score" ? "ascending" : "rated-descending", q, map);
}

function visible(p: Principal, a: AppraisalItem): boolean {
  if (a.subject === "department") return scopesFor(p, "appraisals:read").length > 0;
  return inScopes(a.unitPath ?? "/", scopesFor(p, "appraisals:read"));
}

/** `GET /v1/appraisals/{subject}/{id}/{period}`: one result with its inputs, indicators, breakdown and rules. */
export async function readAppraisal(p: Principal, subject: string, id: string, period: string): Promise<AppraisalItem> {
  const s = parse(Subject, subject, "subject");
  const pd = parse(Period, period, "period");
  const a = await getAppraisal(pd, s, id);
  if (!a || !visible(p, a)) throw new NotFoundError(`No ${s} appraisal of ${id} for ${pd}`);
  return a;
}

const COMMON = ["subject", "id", "code", "name", "place", "level", "unit_path", "score", "color", "rating", "grade", "rank", "previous_score", "change", "points", "rules_version"];

/**
 * `GET /v1/appraisals/{period}/export.csv`: every result of the month (or of one kind) in the
 * caller's part of the hierarchy, one row each, every indicator a column; UTF-8 with a BOM.
 */
export async function exportAppraisals(p: Principal, period: string, input: unknown): Promise<{ filename: string; csv: string }> {
  const pd = parse(Period, period, "period");
  const q = parse(ExportQuery, input, "query");
  const prefix = await listPrefix(p, undefined).catch(() => undefined);
  const scopes = scopesFor(p, "appraisals:read");
  const subjects: Subject[] = q.subject ? [q.subject] : ["unit", "department", "worker"];
  const rows: AppraisalItem[] = [];
  for (const s of subjects) {
    for (const raw of await allAppraisals(pd, s)) {
      const a = strip<AppraisalItem>(raw)!;
      if (a.subject === "department" || (prefix ? (a.unitPath ?? "/").startsWith(prefix === "/" ? "" : prefix) : inScopes(a.unitPath ?? "/", scopes))) rows.push(a);
    }
  }
  const places = await pathNames([...new Set(rows.flatMap((r) => (r.unitPath ? [r.unitPath] : [])))]);
  const builtinOrder = BUILTIN_INDICATORS.map((d) => d.key);
  const present = new Set(rows.flatMap((r) => Object.keys(r.indicators ?? {})));
  const indicatorCols = [...builtinOrder.filter((k) => present.has(k)), ...[...present].filter((k) => !builtinOrder.includes(k)).sort()];
  const csv = toCsv(
    [...COMMON, ...indicatorCols],
    rows.map((a) => [
      a.subject,
      a.id,
      a.code ?? "",
      a.name,
      a.unitPath ? (places.get(a.unitPath) ?? "") : "",
      a.level ?? "",
      a.unitPath ?? "",
      a.score,
      a.band?.color ?? "",
      a.band ? (a.band.name ? `${a.band.label} ${a.band.name}` : a.band.label) : "",
      a.grade ?? "",
      a.rank ?? "",
      a.change?.previousScore ?? "",
      a.change?.delta ?? "",
      a.points?.points ?? "",
      a.rules?.version ?? "",
      ...indicatorCols.map((k) => a.indicators?.[k] ?? ""),
    ]),
  );
  return { filename: `appraisal-${pd}${q.subject ? `-${q.subject}` : ""}.csv`, csv };
}

/** `GET /v1/appraisals/{period}/run`: progress of the month's run. */
export async function readRun(_p: Principal, period: string): Promise<RunView> {
  const pd = parse(Period, period, "period");
  const r = await getRunRaw(pd, true);
  if (!r) throw new NotFoundError(`${pd} has not been appraised`);
  return runView(r);
}

/** Runs by month, newest first. */
export async function listRuns(_p: Principal, input: unknown): Promise<Page<RunView>> {
  const q = parse(z.pick(AppraisalQuery, { limit: true, cursor: true }), input, "query");
  return runsPage(q, (raw) => runView(strip(raw)!));
}

/**
 * `POST /v1/appraisals/{period}/lock`: make a finished month final. Afterwards runs (409),
 * external values for the month (409) and points of the month no longer change. Locking a locked
 * month returns it as it is.
 */
export async function lockPeriod(p: Principal, period: string, now: Date): Promise<RunView> {
  requireCountyWide(p, "appraisals:lock");
  const pd = parse(Period, period, "period");
  const r = await getRunRaw(pd, true);
  if (!r) throw new ConflictError(`${pd} has not been appraised: run it before locking`);
  if (r.locked) return runView(r);
  if (r.status !== "done") throw new ConflictError(`The appraisal of ${pd} is still running`, { run: runView(r) });
  const at = now.toISOString();
  await lockRun(pd, r.runId, at, actorOf(p), auditPut({ actor: actorOf(p), action: "appraisal.lock", entity: "appraisal", entityId: pd, summary: `locked ${pd} (run ${r.runs}, rules version ${r.rules.version})` }, now));
  return { ...runView(r), locked: true, lockedAt: at, lockedBy: actorOf(p) };
}

