import { createHmac } from "node:crypto";
import { jwtVerify, errors as joseErrors } from "jose";
import { JwtError, verifyHs256, type JwtErrorCode, type JwtVerifyOptions } from "../core/auth/jwt-hs256.ts";

/**
 * Helpers of the HS256 tests (core/auth/jwt-hs256.test.ts, jwt-hs256.attacks.test.ts): tokens of any
 * header and payload text, and the outcome of a token by our verifier and by jose (the oracle, a
 * devDependency: this file is under test/, never bundled).
 */
export const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
export const hmac = (input: string, key: Uint8Array) => createHmac("sha256", key).update(input).digest("base64url");

export type Outcome = { ok: true; claims: unknown } | { ok: false; kind: "expired" | "signature" | "other" };

/** Our verifier's outcome; an error that is not a JwtError is thrown (it would be a bug). */
export function oursOutcome(token: string, keys: readonly Uint8Array[], opts: JwtVerifyOptions): Outcome {
  try {
    return { ok: true, claims: verifyHs256(token, keys, opts) };
  } catch (e) {
    if (!(e instanceof JwtError)) throw e;
    return { ok: false, kind: e.code === "expired" ? "expired" : e.code === "signature" ? "signature" : "other" };
  }
}

/** jose's outcome with the same checks (`jwtVerify` options). */
export async function joseOutcome(token: string, key: Uint8Array, opts: Parameters<typeof jwtVerify>[2]): Promise<Outcome> {
  try {
    return { ok: true, claims: (await jwtVerify(token, key, opts)).payload };
  } catch (e) {
    return { ok: false, kind: e instanceof joseErrors.JWTExpired ? "expired" : e instanceof joseErrors.JWSSignatureVerificationFailed ? "signature" : "other" };
  }
}

/** The JwtError code `f` throws, "ok" if it returns, "error" for any other error. */
export const errorCode = (f: () => unknown): JwtErrorCode | "ok" | "error" => {
  try {
    f();
    return "ok";
  } catch (e) {
    return e instanceof JwtError ? e.code : "error";
  }
};
