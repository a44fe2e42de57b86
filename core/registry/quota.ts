import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { db } from "../db/client.ts";
import { actorOf, auditPut } from "../audit/entry.ts";
import type { Principal } from "../auth/principal.ts";
import { RateLimitedError } from "../errors.ts";
import { consume } from "../ratelimit/window.ts";
import { getSettings, privacyOf } from "../settings/settings.ts";

/**
 * Quotas on looking at personal data (docs/registry.md "Controls"), per user in a rolling window
 * (core/ratelimit/window.ts: any 24 hours, any hour), limits from the county's settings
 * (`privacy.revealsPerUserDay`, `privacy.searchesPerUserHour`). A scripted reveal or search of a
 * whole community stops at the quota: 429 naming the quota, and an audit entry
 * `registry.quota_exceeded` (the county admin's alert: GET /v1/audit?action=registry.quota_exceeded).
 */
const QUOTAS = {
  reveal: { setting: "revealsPerUserDay", seconds: 86_400, what: "reveals of personal data per user in 24 hours" },
  search: { setting: "searchesPerUserHour", seconds: 3600, what: "exact registry searches per user in an hour" },
} as const;

export async function chargeQuota(p: Principal, kind: keyof typeof QUOTAS, unitPath: string | undefined, now: Date): Promise<void> {
  const q = QUOTAS[kind];
  const limit = privacyOf(await getSettings())[q.setting];
  try {
    await consume(`registry-${kind}#${p.kind}#${p.id}`, limit, q.seconds, now);
  } catch (e) {
    if (!(e instanceof RateLimitedError)) throw e;
    await db().send(
      new PutCommand(
        auditPut(
          { actor: actorOf(p), action: "registry.quota_exceeded", entity: "registry", entityId: kind, unitPath, summary: `${kind} refused: quota of ${limit} ${q.what} reached`, details: { quota: q.setting, limit } },
          now,
        ).Put,
      ),
    );
    throw new RateLimitedError(e.retryAfterSeconds, `Quota reached: at most ${limit} ${q.what} (county setting privacy.${q.setting})`, { reason: `${kind}_quota`, quota: q.setting, limit });
  }
}
