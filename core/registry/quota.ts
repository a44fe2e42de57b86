import type { Principal } from "../auth/principal.ts";
import { RateLimitedError } from "../errors.ts";
import { consume } from "../ratelimit/window.ts";
import { countyDay } from "../aggregate/county-time.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";
import { quotaRefused } from "./quota-alert.ts";

/**
 * Quotas on looking at personal data (docs/security.md), per user in a rolling window
 * (core/ratelimit/window.ts: any 24 hours, any hour), limits from the county's settings
 * (`privacy.revealsPerUserDay`, `privacy.searchesPerUserHour`). A scripted reveal or search
 * stops at the quota: 429 naming the quota, an audit entry `registry.quota_exceeded` and, the first
 * time on a county day, a notice to the county admins (core/registry/quota-alert.ts). The quota
 * per community and day is core/registry/unit-quota.ts.
 */
const QUOTAS = {
  reveal: { setting: "revealsPerUserDay", seconds: 86_400, what: "reveals of personal data per user in 24 hours", zh: "查看明文" },
  search: { setting: "searchesPerUserHour", seconds: 3600, what: "exact registry searches per user in an hour", zh: "精确查询" },
} as const;

export async function chargeQuota(p: Principal, kind: keyof typeof QUOTAS, unitPath: string | undefined, now: Date): Promise<void> {
  const q = QUOTAS[kind];
  const settings = await getSettings();
  const limit = privacyOf(settings)[q.setting];
  try {
    await consume(`registry-${kind}#${p.kind}#${p.id}`, limit, q.seconds, now);
  } catch (e) {
    if (!(e instanceof RateLimitedError)) throw e;
    const who = p.kind === "user" ? p.username : p.id;
    await quotaRefused(
      p,
      { entityId: kind, unitPath, summary: `${kind} refused: quota of ${limit} ${q.what} reached`, details: { quota: q.setting, limit } },
      {
        quota: q.setting,
        subject: `${p.kind}-${p.id}`,
        day: countyDay(now, settings.timeZone),
        title: `${who} 的${q.zh}次数已达上限 ${limit}`,
        reason: `${q.setting} ${limit}`,
        data: { limit, userId: p.id },
      },
      now,
    );
    throw new RateLimitedError(e.retryAfterSeconds, `Quota reached: at most ${limit} ${q.what} (county setting privacy.${q.setting})`, { reason: `${kind}_quota`, quota: q.setting, limit });
  }
}
