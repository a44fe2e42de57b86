import { PageQuery, type Page } from "../db/page.ts";
import { ConflictError, InvalidError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { parse } from "../validate.ts";
import { BUILTIN_BY_KEY } from "../indicator/builtin.ts";
import { listExternalDefinitions } from "../indicator/repo.ts";
import { PRESET_RULES, presetRecord } from "./presets.ts";
import { PutScoringRules, type ScoringRules, type ScoringRulesRecord } from "./schema.ts";
import { getStoredScoringRules, saveScoringRules, scoringRuleVersionsPage, type RulesVersion } from "./repo-rules.ts";

export { presetRecord, type RulesVersion };

/** The rules in force: the county's saved rules, else the presets (version 0). */
export async function getScoringRules(): Promise<ScoringRulesRecord> {
  return (await getStoredScoringRules()) ?? presetRecord();
}

/** `GET /v1/scoring-rules`: the rules in force and the presets they started from. */
export async function readScoringRules(): Promise<ScoringRulesRecord & { presets: ScoringRules }> {
  return { ...(await getScoringRules()), presets: structuredClone(PRESET_RULES) };
}

/**
 * Five-color indicators must be built-in unit indicators or active configured ones, and have a
 * range: a count without a maximum needs the rule to give one.
 */
async function checkIndicators(rules: ScoringRules): Promise<void> {
  const external = new Map((await listExternalDefinitions()).map((d) => [d.key, d]));
  const fields: { path: string; message: string }[] = [];
  rules.fiveColor.indicators.forEach((r, i) => {
    const builtin = BUILTIN_BY_KEY.get(r.key);
    const def = builtin ?? external.get(r.key);
    if (!def) return void fields.push({ path: `fiveColor.indicators.${i}.key`, message: "unknown indicator" });
    if (builtin && !builtin.subjects.includes("unit")) return void fields.push({ path: `fiveColor.indicators.${i}.key`, message: "not an indicator of units" });
    if (!def.active) fields.push({ path: `fiveColor.indicators.${i}.key`, message: "inactive indicator" });
    const lo = r.min ?? def.min ?? 0;
    const hi = r.max ?? def.max;
    if (hi === undefined) fields.push({ path: `fiveColor.indicators.${i}.max`, message: `${r.key} has no maximum: give the value that earns a full (or zero) score` });
    else if (!(hi > lo)) fields.push({ path: `fiveColor.indicators.${i}.max`, message: "max must be above min" });
  });
  if (fields.length) throw new InvalidError("Invalid scoring rules", { fields });
}

/**
 * Replace the scoring rules (county-wide appraisals:run, the version read; 0 when the presets
 * were shown). Each save is a new version kept as its own item, with an audit entry holding the
 * diff. Runs use the rules in force when they start; each result stores the rules it used.
 */
export async function putScoringRules(p: Principal, input: unknown, now: Date): Promise<ScoringRulesRecord> {
  requireCountyWide(p, "appraisals:run");
  const { version, note, ...rules } = parse(PutScoringRules, input, "scoring rules");
  await checkIndicators(rules);
  const current = await getScoringRules();
  if (version !== current.version) throw new ConflictError("The scoring rules were changed by someone else; reload and retry", { current });
  const at = now.toISOString();
  const by = actorOf(p);
  const next: ScoringRulesRecord = { ...rules, version: current.version + 1, updatedAt: at, updatedBy: by };
  const saved: RulesVersion = { version: next.version, rules, savedAt: at, savedBy: by, ...(note ? { note } : {}) };
  const audit = auditPut(
    { actor: by, action: "scoring-rules.update", entity: "scoring-rules", entityId: "county", summary: `scoring rules version ${next.version}`, ...(note ? { reason: note } : {}), changes: diff(current, next) },
    now,
  );
  await saveScoringRules(next, saved, current.version === 0 ? undefined : version, audit);
  return next;
}

/** Saved versions, newest first. */
export async function listScoringRuleVersions(input: unknown): Promise<Page<RulesVersion>> {
  const q = parse(PageQuery, input, "query");
  return scoringRuleVersionsPage(q);
}
