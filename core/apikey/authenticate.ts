import { createHash } from "node:crypto";
import { UnauthorizedError } from "../errors.ts";
import type { Principal } from "../auth/principal.ts";
import { consume } from "../ratelimit/window.ts";
import { getApiKeyByHash, touchApiKey } from "./repo.ts";

/*
 * Resolving an `X-Api-Key`, apart from the keys' management (core/apikey/service.ts re-exports
 * both): functions/authenticate.ts loads this module on the first request with a key, and every
 * area function counts what it loads (issue #15, docs/deploy.md "Cold path"), so it no longer
 * brings the management's schemas, audit entries and pages with it.
 */

export const hashKey = (key: string): string => createHash("sha256").update(key).digest("base64url");

/** Resolve an `X-Api-Key`: unknown or revoked → 401; over its rate → 429; records last use (at most once a minute). */
export async function authenticateApiKey(key: string, now: Date): Promise<Principal> {
  if (key.length > 200 || !key.startsWith("wg_")) throw new UnauthorizedError("Unknown API key", { reason: "invalid" });
  const h = hashKey(key);
  const rec = await getApiKeyByHash(h);
  if (!rec) throw new UnauthorizedError("Unknown API key", { reason: "invalid" });
  if (rec.revokedAt) throw new UnauthorizedError("This API key was revoked", { reason: "revoked" });
  await consume(`apikey#${rec.id}`, rec.rateLimitPerMinute, 60, now);
  const stale = !rec.lastUsedAt || now.getTime() - Date.parse(rec.lastUsedAt) > 60_000;
  if (stale) {
    await touchApiKey(h, now.toISOString()).catch(() => undefined); // bookkeeping only
  }
  return { kind: "api_key", id: rec.id, permissions: rec.permissions, unitPath: rec.unitPath, channels: rec.channels ?? [] };
}
