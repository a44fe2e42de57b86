import { UnauthorizedError } from "../core/errors.ts";
import type { Principal } from "../core/auth/principal.ts";
import { verifyAccessToken } from "../core/auth/token.ts";

/**
 * Who is calling: a Bearer access token (staff or resident) or an `X-Api-Key` (partner app).
 * No credentials → undefined (public routes only). Bad credentials → 401, never silently anonymous.
 */
export async function authenticate(headers: Record<string, string>, now: Date, _sourceIp: string): Promise<Principal | undefined> {
  if (headers["authorization"] || headers["x-api-key"]) {
    // unit moves in progress: scopes and records are read canonically (core/unit/paths.ts); one GetItem
    const { refreshMoves } = await import("../core/unit/move-registry.ts");
    await refreshMoves(now);
  }
  const auth = headers["authorization"];
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new UnauthorizedError("Authorization must be 'Bearer <token>'");
    return verifyAccessToken(m[1], now);
  }
  const key = headers["x-api-key"];
  if (key) {
    const { authenticateApiKey } = await import("../core/apikey/authenticate.ts");
    return authenticateApiKey(key, now);
  }
  return undefined;
}
