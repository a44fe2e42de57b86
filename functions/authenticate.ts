import { UnauthorizedError } from "../core/errors.ts";
import type { Principal } from "../core/auth/principal.ts";
import { verifyAccessToken } from "../core/auth/token.ts";

/**
 * Who is calling: a Bearer access token (staff or resident) or an `X-Api-Key` (partner app).
 * No credentials → undefined (public routes only). Bad credentials → 401, never silently anonymous.
 */
export async function authenticate(headers: Record<string, string>, now: Date, _sourceIp: string): Promise<Principal | undefined> {
  const auth = headers["authorization"];
  const key = headers["x-api-key"];
  if (!auth && !key) return undefined;
  // unit moves in progress: scopes and records are read canonically (core/unit/paths.ts); one GetItem
  const moves = import("../core/unit/move-registry.ts").then(({ refreshMoves }) => refreshMoves(now));
  moves.catch(() => undefined); // awaited below; this only keeps a failure from counting as unhandled meanwhile
  if (auth) {
    // a token is checked while the moves are read (#15: a cold container's first request waited for
    // the read first); checking has no effects, and the answer is as before: a failed read of the
    // moves first, else the token's own error or its principal
    let principal: Principal;
    try {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!m) throw new UnauthorizedError("Authorization must be 'Bearer <token>'");
      principal = await verifyAccessToken(m[1], now);
    } catch (e) {
      await moves;
      throw e;
    }
    await moves;
    return principal;
  }
  // an API key counts against its rate limit and is touched: only after the moves were read, as before
  await moves;
  const { authenticateApiKey } = await import("../core/apikey/authenticate.ts");
  return authenticateApiKey(key, now);
}
