import { createHmac, timingSafeEqual } from "node:crypto";
import { MIN_KEY_BYTES } from "./secret.ts";

/**
 * HS256 JSON Web Tokens (compact JWS, RFC 7515/7519) on node:crypto, in place of jose on the request
 * path (issue #15: −15…−19 KB per function and no WebCrypto on the first request). Only what our
 * access tokens need, checked as jose's `jwtVerify` checks them and stricter where jose is lenient;
 * the review is in docs/security.md ("Access tokens: our HS256 verifier"), the oracle tests against
 * jose in jwt-hs256.test.ts.
 */

/** Why a token was refused: only `expired` is told apart to the client (core/auth/token.ts). */
export type JwtErrorCode = "malformed" | "header" | "signature" | "claims" | "expired";

export class JwtError extends Error {
  readonly code: JwtErrorCode;
  constructor(code: JwtErrorCode, message: string) {
    super(message);
    this.name = "JwtError";
    this.code = code;
  }
}

export type JwtHeader = { alg: "HS256"; typ?: string; kid?: string } & Record<string, unknown>;
export type JwtVerifyOptions = { issuer: string; audience: string; typ: string; now: Date };

const B64URL = /^[A-Za-z0-9_-]*$/;
/** Header parameters that would name a key or change how the token is read: never honoured, always refused. */
const REFUSED = ["jwk", "jku", "x5u", "x5c", "crit", "b64"];
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Strict base64url: its own alphabet only, no padding, and only the canonical text of its bytes (unused bits zero). */
function b64u(s: string, what: string): Buffer {
  const bytes = B64URL.test(s) && s.length % 4 !== 1 ? Buffer.from(s, "base64url") : undefined;
  if (!bytes || bytes.toString("base64url") !== s) throw new JwtError("malformed", `${what} is not base64url`);
  return bytes;
}

function json(s: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(utf8.decode(b64u(s, what)));
  } catch (e) {
    if (e instanceof JwtError) throw e;
    throw new JwtError("malformed", `${what} is not JSON`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new JwtError("malformed", `${what} is not a JSON object`);
  return v as Record<string, unknown>;
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length < MIN_KEY_BYTES) throw new Error(`an HS256 key must have at least ${MIN_KEY_BYTES} bytes`);
}

/** Split a compact JWS (exactly three segments) and read its header, which must be HS256 and name no key. Not verified yet. */
function split(token: string): { header: JwtHeader; parts: string[] } {
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 3) throw new JwtError("malformed", "not a compact JWS of three segments");
  const header = json(parts[0], "header");
  if (header.alg !== "HS256") throw new JwtError("header", "alg must be HS256");
  const refused = REFUSED.find((p) => Object.hasOwn(header, p));
  if (refused) throw new JwtError("header", `header parameter ${refused} is not accepted`);
  if (header.kid !== undefined && typeof header.kid !== "string") throw new JwtError("header", "kid must be a string");
  return { header: header as JwtHeader, parts };
}

/** The token's header (checked as in verify), to choose the key set by `kid`. Nothing in it is trusted beyond that. */
export function jwtHeader(token: string): JwtHeader {
  return split(token).header;
}

const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

/** Sign claims as a compact JWS with HS256 (header and claims serialised in the given key order, as jose does). */
export function signHs256(header: { alg: "HS256" } & Record<string, unknown>, claims: Record<string, unknown>, key: Uint8Array): string {
  checkKey(key);
  if (header.alg !== "HS256" || REFUSED.some((p) => Object.hasOwn(header, p))) throw new Error("only a plain HS256 header is signed");
  for (const c of ["iat", "nbf", "exp"]) if (claims[c] !== undefined && !Number.isFinite(claims[c])) throw new Error(`${c} must be a finite number`);
  const input = `${b64json(header)}.${b64json(claims)}`;
  return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
}

const normalTyp = (t: string) => (t.includes("/") ? t.toLowerCase() : `application/${t.toLowerCase()}`);
const numericDate = (claims: Record<string, unknown>, c: string): number | undefined => {
  const v = claims[c];
  if (v !== undefined && !Number.isFinite(v)) throw new JwtError("claims", `${c} must be a finite number`);
  return v as number | undefined;
};

/**
 * Verify an HS256 token with any of `keys` (tried in order, each compared in constant time) and
 * return its claims: the signature over the exact received `header.payload` text first, only then
 * the payload (a JSON object), `typ`, `iss`, `aud`, `iat`/`nbf`/`exp` at `now` — in jose's order,
 * so only a token that passes everything else is `expired`.
 */
export function verifyHs256(token: string, keys: readonly Uint8Array[], o: JwtVerifyOptions): Record<string, unknown> {
  const { header, parts } = split(token);
  const signature = b64u(parts[2], "signature");
  const input = `${parts[0]}.${parts[1]}`;
  let ok = false;
  for (const key of keys) {
    checkKey(key);
    const mac = createHmac("sha256", key).update(input).digest();
    if (signature.length === mac.length && timingSafeEqual(signature, mac)) ok = true;
  }
  if (!ok) throw new JwtError("signature", "signature verification failed");
  const claims = json(parts[1], "payload");
  if (typeof header.typ !== "string" || normalTyp(header.typ) !== normalTyp(o.typ)) throw new JwtError("claims", "unexpected typ");
  if (claims.iss !== o.issuer) throw new JwtError("claims", "unexpected iss");
  const aud = claims.aud;
  if (!(aud === o.audience || (Array.isArray(aud) && aud.includes(o.audience)))) throw new JwtError("claims", "unexpected aud");
  const now = Math.floor(o.now.getTime() / 1000);
  if (!Number.isFinite(now)) throw new Error("verifyHs256: now is not a valid date");
  numericDate(claims, "iat");
  const nbf = numericDate(claims, "nbf");
  if (nbf !== undefined && nbf > now) throw new JwtError("claims", "not valid yet (nbf)");
  const exp = numericDate(claims, "exp");
  if (exp === undefined) throw new JwtError("claims", "exp is required");
  if (exp <= now) throw new JwtError("expired", "expired (exp)");
  return claims;
}
