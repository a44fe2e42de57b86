import * as z from "zod/mini";
import { ConflictError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { isValidTimeZone } from "../calendar/time.ts";
import { TIME_ZONE_NAME } from "../calendar/schema.ts";
import { parse } from "../validate.ts";
import { getStoredSettings, saveSettings, unitsExist } from "./repo.ts";
import { requireCountyWide } from "./scope.ts";
import { Settings, caseDefaultsOf, forgetSettings, getSettings, privacyOf, type Level } from "./settings.ts";

/** `PUT /v1/settings`: the whole settings and the version read. */
export const PutSettings = z.extend(Settings, {
  timeZone: z._default(z.string().check(z.maxLength(64), z.regex(TIME_ZONE_NAME, "Unknown time zone, expected an IANA name such as Asia/Shanghai"), z.refine(isValidTimeZone, "Unknown time zone, expected an IANA name such as Asia/Shanghai")), "Asia/Shanghai"),
  version: z.number().check(z.int(), z.gte(1)),
}).check(z.superRefine((s, ctx) => {
  const seen = new Set<string>();
  s.levels.forEach((l, i) => {
    if (l.key === "county") ctx.addIssue({ code: "custom", message: "`county` is the root's level key", path: ["levels", i, "key"] });
    if (seen.has(l.key)) ctx.addIssue({ code: "custom", message: "Level keys must not repeat", path: ["levels", i, "key"] });
    seen.add(l.key);
  });
  // escalation rules name levels of this county (or `county`, the root)
  const known = new Set(["county", ...s.levels.map((l) => l.key)]);
  for (const [event, levels] of Object.entries(s.escalation ?? {})) {
    (levels ?? []).forEach((key, i) => {
      if (!known.has(key)) ctx.addIssue({ code: "custom", message: `Unknown level "${key}": use county or a key of levels`, path: ["escalation", event, i] });
    });
  }
}));

/** How a new list of levels differs from the old one: not at all, only in names, or in structure. */
export function levelsChange(before: readonly Level[], after: readonly Level[]): "none" | "names" | "structure" {
  if (before.length !== after.length) return "structure";
  if (before.some((b, i) => b.key !== after[i].key || b.segmentDigits !== after[i].segmentDigits)) return "structure";
  return before.some((b, i) => b.name !== after[i].name) ? "names" : "none";
}

/** The county settings as stored now (defaults when never configured), read consistently. */
export async function readSettings(): Promise<Settings> {
  const s = await getSettings(true);
  // the effective privacy controls too (docs/security.md): a county that never saved them is under the defaults
  return { ...s, caseDefaults: caseDefaultsOf(s), privacy: privacyOf(s) };
}

/**
 * Replace the county settings (county-wide permission, the version read). The levels cannot
 * change shape once units below the county exist (only their names), and the county code cannot
 * change once the county root exists: unit codes are built from both. Audited in the same write.
 */
export async function putSettings(p: Principal, input: unknown, now: Date): Promise<Settings> {
  requireCountyWide(p, "units:write");
  const { version, ...data } = parse(PutSettings, input, "settings");
  const stored = await getStoredSettings();
  const current = stored ?? (await getSettings(true));
  if (version !== current.version) throw new ConflictError("The settings were changed by someone else; reload and retry", { current });
  if (levelsChange(current.levels, data.levels) === "structure" && (await unitsExist({ belowRoot: true }))) {
    throw new ConflictError("Units below the county exist: levels can be renamed but not added, removed, re-keyed or re-sized", {
      reason: "units_exist",
      fields: [{ path: "levels", message: "only names may change" }],
    });
  }
  if (data.countyCode !== current.countyCode && stored && (await unitsExist({ belowRoot: false }))) {
    throw new ConflictError("The county root exists: its code cannot change", { reason: "units_exist", fields: [{ path: "countyCode", message: "in use" }] });
  }
  const next: Settings = { ...data, version: current.version + 1, updatedAt: now.toISOString() };
  const audit = auditPut({ actor: actorOf(p), action: "settings.update", entity: "settings", entityId: "county", summary: `${next.countyCode} ${next.countyName}`, changes: diff(current, next) }, now);
  if (!(await saveSettings(next, !!stored, version, audit))) throw new ConflictError("The settings were changed by someone else; reload and retry", { current: await getStoredSettings() });
  forgetSettings();
  return next;
}
