import * as z from "zod/mini";
import { UnauthorizedError } from "../errors.ts";
import { Assignment, type Principal } from "./principal.ts";
import { jwtKey } from "./secret.ts";
import { JwtError, jwtHeader, signHs256, verifyHs256 } from "./jwt-hs256.ts";
import { RESIDENT_KID, residentTokenKeys } from "./resident-key.ts";

export const ACCESS_TOKEN_SECONDS = 15 * 60;
const ISSUER = "wangge";
/** Access tokens are for this API only (`aud`) and typed (RFC 9068 `at+jwt`), so no other JWT signed with the key passes. */
export const AUDIENCE = "wangge-api";
export const ACCESS_TYP = "at+jwt";

const Claims = z.object({
  sub: z.string(),
  kind: z.enum(["user", "resident"]),
  name: z.optional(z.string()),
  asg: z.optional(z.array(Assignment)),
  unit: z.optional(z.string()),
  upath: z.optional(z.string()),
});

/** Sign a short-lived access token (HS256) carrying the principal's role assignments. */
export async function signAccessToken(p: Principal, now: Date): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ACCESS_TOKEN_SECONDS;
  const claims =
    p.kind === "user"
      ? { kind: "user", name: p.username, asg: p.assignments }
      : p.kind === "resident"
        ? { kind: "resident", unit: p.unitId, upath: p.unitPath }
        : undefined;
  if (!claims) throw new Error(`cannot issue tokens to ${p.kind}`);
  // residents' tokens are signed with the resident key (kid "resident"), staff tokens with the JWT key
  const resident = p.kind === "resident";
  // claims in the order jose's SignJWT wrote them (tokens byte-identical to before: core/auth/jwt-hs256.test.ts)
  const token = signHs256(
    resident ? { alg: "HS256", typ: ACCESS_TYP, kid: RESIDENT_KID } : { alg: "HS256", typ: ACCESS_TYP },
    { ...claims, aud: AUDIENCE, sub: p.id, iss: ISSUER, iat, exp },
    resident ? (await residentTokenKeys())[0] : await jwtKey(),
  );
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * Verify an access token (core/auth/jwt-hs256.ts); only HS256 with our key, issuer, audience and
 * token type is accepted, at the injected time. A token with `kid: resident` is checked with the resident keys (current, then
 * earlier ones during a rotation) and may only name a resident; any other with the staff key, and
 * may only name a user: neither key can mint the other's principals.
 */
export async function verifyAccessToken(token: string, now: Date): Promise<Principal> {
  try {
    const resident = jwtHeader(token).kid === RESIDENT_KID;
    const candidates = resident ? await residentTokenKeys() : [await jwtKey()];
    const c = Claims.parse(verifyHs256(token, candidates, { issuer: ISSUER, audience: AUDIENCE, typ: ACCESS_TYP, now }));
    if ((c.kind === "resident") !== resident) throw new Error("token kind does not match its key");
    if (c.kind === "user") return { kind: "user", id: c.sub, username: c.name ?? c.sub, assignments: c.asg ?? [] };
    return { kind: "resident", id: c.sub, unitId: c.unit, unitPath: c.upath };
  } catch (e) {
    if (e instanceof JwtError && e.code === "expired") throw new UnauthorizedError("Token expired", { reason: "expired" });
    throw new UnauthorizedError("Invalid token", { reason: "invalid" });
  }
}
