import * as z from "zod/mini";
import { ConflictError } from "../errors.ts";
import { actorOf, auditPut, diff } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { requireCountyWide } from "../settings/scope.ts";
import { parse } from "../validate.ts";
import { DEFAULT_PATROL_RULE, PatrolRule } from "./patrol-rules.ts";
import { getStoredDutyConfig, saveDutyConfig } from "./repo.ts";

const Days = z.nullable(z.number().check(z.int(), z.gte(1), z.lte(365)));

/** Duty routines of the county: visit frequency per household class (null = as needed) and patrols a day. */
export const DutyConfig = z.object({
  visitEveryDays: z.object({ key: Days, monitored: Days, general: Days }),
  patrolsPerDay: z.number().check(z.int(), z.gte(0), z.lte(10)),
  /** what makes a patrol count (duration, distance, gap); stored configurations without it get the default */
  patrolRule: z._default(PatrolRule, DEFAULT_PATROL_RULE),
  version: z.number().check(z.int()),
  updatedAt: z.optional(z.string()),
});
export type DutyConfig = z.infer<typeof DutyConfig>;

/** Key households weekly, monitored monthly, general as needed; two patrols a day (一日双巡). */
export const DEFAULT_DUTY_CONFIG: DutyConfig = { visitEveryDays: { key: 7, monitored: 30, general: null }, patrolsPerDay: 2, patrolRule: DEFAULT_PATROL_RULE, version: 0 };

export const PutDutyConfig = z.strictObject({
    version: z.number().check(z.int(), z.gte(0)),
    visitEveryDays: z.optional(z.catchall(z.partial(z.object({ key: Days, monitored: Days, general: Days })), z.never())),
    patrolsPerDay: z.optional(z.number().check(z.int(), z.gte(0), z.lte(10))),
    patrolRule: z.optional(z.catchall(z.partial(PatrolRule), z.never())),
  });

export async function getDutyConfig(consistent = false): Promise<DutyConfig> {
  const stored = await getStoredDutyConfig(consistent);
  return stored ? DutyConfig.parse(stored) : DEFAULT_DUTY_CONFIG;
}

export async function putDutyConfig(p: Principal, input: unknown, now: Date): Promise<DutyConfig> {
  requireCountyWide(p, "units:write");
  const data = parse(PutDutyConfig, input, "duty configuration");
  const current = await getDutyConfig(true);
  if (current.version !== data.version) throw new ConflictError("The duty configuration was changed by someone else; reload and retry", { current });
  const next: DutyConfig = {
    visitEveryDays: { ...current.visitEveryDays, ...data.visitEveryDays },
    patrolsPerDay: data.patrolsPerDay ?? current.patrolsPerDay,
    patrolRule: { ...current.patrolRule, ...data.patrolRule },
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  const audit = auditPut({ actor: actorOf(p), action: "duties.config", entity: "config", entityId: "duties", summary: "duty routines", changes: diff(current, next) }, now);
  await saveDutyConfig(next, current.version, audit, () => getDutyConfig(true));
  return next;
}

