import type { Principal } from "../auth/principal.ts";
import { RateLimitedError } from "../errors.ts";
import { countyDay } from "../aggregate/apply.ts";
import { zonedSecondOfDay } from "../calendar/time.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";
import { quotaRefused } from "./quota-alert.ts";
import { takeUnitReveal } from "./repo-quota.ts";

/**
 * The reveal quota per community and county day (`privacy.revealsPerUnitDay`, docs/security.md):
 * however many users reveal, at most that many **distinct records** of one community (the unit two
 * levels below the county: 社区/村 in the standard hierarchy; the record's own unit when it lies
 * higher) are revealed on one county day, so a scripted reveal of a whole community stops early
 * even when it is spread over many accounts.
 *
 * One counter item per community and day (`QUOTA#REVEALUNIT#<unitId>`, `DAY#<day>`, TTL two days
 * after) holding `n` and the set `recs` of records counted. One atomic, conditional
 * `UpdateItem`: `ADD n 1, recs {record}` only if `n < limit` and the record is not yet in `recs`
 * (the returned `n` is the count taken). When the condition fails, a consistent read of the item
 * decides: the record is in `recs` → it was counted today already (a retry, a second look at the
 * same record: no charge, idempotent); otherwise the community is at its limit → 429
 * `unit_reveal_quota`, audited as `registry.quota_exceeded` (entityId `reveal-unit`) and, the first
 * time that day, a notice to the county admins. At most 5000 a day (one item stays < 400 KB).
 */
export function countedUnit(unitPath: string): { unitId: string; path: string } {
  const ids = unitPath.split("/").filter(Boolean);
  const at = Math.min(2, ids.length - 1);
  return { unitId: ids[at], path: `/${ids.slice(0, at + 1).join("/")}/` };
}

/** Seconds until the county's next midnight (when the day's count starts again). */
function untilMidnight(now: Date, timeZone: string): number {
  return Math.max(1, 86_400 - zonedSecondOfDay(now, timeZone));
}

export async function chargeUnitReveal(p: Principal, entity: string, id: string, unitPath: string, now: Date): Promise<{ counted: number | null }> {
  const settings = await getSettings();
  const limit = privacyOf(settings).revealsPerUnitDay;
  const { unitId, path: communityPath } = countedUnit(unitPath);
  const day = countyDay(now, settings.timeZone);
  const took = await takeUnitReveal(unitId, day, `${entity}#${id}`, limit, now);
  if (took.taken) return { counted: took.n };
  if (took.alreadyCounted) return { counted: null };
  await quotaRefused(
    p,
    { entityId: "reveal-unit", unitPath: communityPath, summary: `reveal refused: ${limit} records of this community already revealed today (privacy.revealsPerUnitDay)`, details: { quota: "revealsPerUnitDay", limit, unitId, day } },
    { quota: "revealsPerUnitDay", subject: unitId, day, title: `一个社区今日被查看明文的记录数已达上限 ${limit}`, reason: `revealsPerUnitDay ${limit}`, data: { limit, unitId } },
    now,
  );
  throw new RateLimitedError(untilMidnight(now, settings.timeZone), `Quota reached: at most ${limit} records of one community revealed per day (county setting privacy.revealsPerUnitDay)`, {
    reason: "unit_reveal_quota",
    quota: "revealsPerUnitDay",
    limit,
    unitId,
  });
}
