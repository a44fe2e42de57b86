import { describe, it, expect, beforeAll } from "vitest";
import { createHmac } from "node:crypto";
import { jwtHeader, signHs256, verifyHs256, type JwtErrorCode } from "./jwt-hs256.ts";
import { b64, errorCode, hmac, joseOutcome, oursOutcome, type Outcome } from "../../test/jwt-oracle.ts";
import { resetJwtKey, jwtKey } from "./secret.ts";
import { residentTokenKeys } from "./resident-key.ts";
import { signAccessToken, verifyAccessToken } from "./token.ts";
import type { Principal } from "./principal.ts";

/*
 * Attacks on our HS256 verifier (core/auth/jwt-hs256.ts) and on how core/auth/token.ts picks the key
 * set by `kid` (review of session 8). Where jose has an answer, both are asked: a token we accept
 * must be one jose accepts with the same claims; the cases where we are stricter on purpose say so.
 * jwt-hs256.test.ts holds the oracle tables and the random mutations; these are the hand-made attacks.
 */

const KEY = new TextEncoder().encode("jwt-attacks-test-key-0123456789abcdefghij");
const OTHER = new TextEncoder().encode("jwt-attacks-other-key-0123456789abcdefghi");
const NOW = new Date("2026-12-05T06:00:00.000Z");
const T = Math.floor(NOW.getTime() / 1000);
const OPTS = { issuer: "wangge", audience: "wangge-api", typ: "at+jwt", now: NOW };
const JOSE_OPTS = { algorithms: ["HS256"], issuer: "wangge", audience: "wangge-api", typ: "at+jwt", currentDate: NOW };
const HEADER = { alg: "HS256", typ: "at+jwt" } as const;
const CLAIMS = { kind: "user", name: "admin", aud: "wangge-api", sub: "user-1", iss: "wangge", iat: T, exp: T + 900 };

// b64 (test/jwt-oracle.ts) takes a string as the JSON text itself: duplicate keys, __proto__ and BOMs are written that way
const mac = (input: string, key: Uint8Array = KEY) => hmac(input, key);
const raw = (header: unknown, payload: unknown, key: Uint8Array = KEY) => `${b64(header)}.${b64(payload)}.${mac(`${b64(header)}.${b64(payload)}`, key)}`;
/** Segments given as they are (already base64url or not), signed over exactly that text. */
const signedText = (h: string, p: string, key: Uint8Array = KEY) => `${h}.${p}.${mac(`${h}.${p}`, key)}`;

const ours = (token: string, keys: Uint8Array[] = [KEY], opts = OPTS) => oursOutcome(token, keys, opts);
const jose = (token: string, key = KEY, opts = JOSE_OPTS) => joseOutcome(token, key, opts);
const code = errorCode;

describe("HS256 verifier attacks, against jose where it has an answer", () => {
  it("duplicate JSON keys: the last one counts, in the header and the payload, as in jose (alg none last is refused)", async () => {
    const claims = JSON.stringify(CLAIMS);
    const table: Array<[string, string, Outcome]> = [
      ["alg none then HS256", signedText(b64('{"alg":"none","alg":"HS256","typ":"at+jwt"}'), b64(claims)), { ok: true, claims: CLAIMS }],
      ["alg HS256 then none", signedText(b64('{"alg":"HS256","alg":"none","typ":"at+jwt"}'), b64(claims)), { ok: false, kind: "other" }],
      ["exp future then past", signedText(b64(HEADER), b64(claims.replace("{", `{"exp":${T + 900},`).replace(`"exp":${T + 900}}`, `"exp":${T - 1}}`))), { ok: false, kind: "expired" }],
      ["iss evil then ours", signedText(b64(HEADER), b64(claims.replace("{", '{"iss":"evil",'))), { ok: true, claims: CLAIMS }],
      ["aud ours then other", signedText(b64(HEADER), b64(claims.replace('"aud":"wangge-api"', '"aud":"wangge-api","aud":"other"'))), { ok: false, kind: "other" }],
    ];
    for (const [name, token, want] of table) {
      expect(await jose(token), `jose: ${name}`).toEqual(want);
      expect(ours(token), `ours: ${name}`).toEqual(want);
    }
    // kid read twice (once to pick the keys, once in verify) from the same parse: the last kid both times
    expect(jwtHeader(`${b64('{"alg":"HS256","typ":"at+jwt","kid":"resident","kid":"x"}')}.e30.AA`).kid).toBe("x");
  });

  it("__proto__ in the payload or header sets nothing: no claim comes from it and Object.prototype stays clean", async () => {
    const inherited = JSON.stringify({ sub: "user-1", kind: "user", iat: T }).replace("{", `{"__proto__":{"iss":"wangge","aud":"wangge-api","exp":${T + 900}},`);
    const t1 = signedText(b64(HEADER), b64(inherited));
    expect(await jose(t1)).toEqual({ ok: false, kind: "other" });
    expect(ours(t1)).toEqual({ ok: false, kind: "other" });
    // a good token carrying __proto__ as an own claim: accepted, and the claim stays an own property
    const own = JSON.stringify(CLAIMS).replace("{", '{"__proto__":{"polluted":1,"kind":"resident"},');
    const t2 = signedText(b64(HEADER), b64(own));
    const mine = ours(t2);
    expect(mine.ok).toBe(true);
    const claims = (mine as { claims: Record<string, unknown> }).claims;
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
    expect(Object.hasOwn(claims, "__proto__")).toBe(true);
    expect(claims.kind).toBe("user");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await jose(t2)).ok).toBe(true);
    // a kid under __proto__ is not a kid: the staff key set is chosen
    const h = '{"alg":"HS256","typ":"at+jwt","__proto__":{"kid":"resident"}}';
    expect(jwtHeader(signedText(b64(h), b64(CLAIMS))).kid).toBeUndefined();
    expect(({} as Record<string, unknown>).kid).toBeUndefined();
  });

  it("signatures of any other length are a bad signature (no RangeError from timingSafeEqual), as in jose", async () => {
    const [h, p] = [b64(HEADER), b64(CLAIMS)];
    const full = createHmac("sha256", KEY).update(`${h}.${p}`).digest();
    const lengths: Array<[string, Buffer]> = [
      ["0 bytes", Buffer.alloc(0)],
      ["1 byte", full.subarray(0, 1)],
      ["31 bytes (prefix)", full.subarray(0, 31)],
      ["33 bytes (one more)", Buffer.concat([full, Buffer.from([0])])],
      ["64 bytes (twice)", Buffer.concat([full, full])],
      ["HS512-sized of the same key", createHmac("sha512", KEY).update(`${h}.${p}`).digest()],
    ];
    for (const [name, sig] of lengths) {
      const token = `${h}.${p}.${sig.toString("base64url")}`;
      expect(await jose(token), `jose: ${name}`).toEqual({ ok: false, kind: "signature" });
      expect(ours(token), `ours: ${name}`).toEqual({ ok: false, kind: "signature" });
    }
  });

  it("segments and white space: empty or extra segments, a space or tab around the token are refused; a BOM before the JSON is read as jose reads it", async () => {
    const [h, p] = [b64(HEADER), b64(CLAIMS)];
    const good = signedText(h, p);
    const table: Array<[string, string, JwtErrorCode]> = [
      ["empty payload segment", signedText(h, ""), "malformed"],
      ["trailing dot", `${good}.`, "malformed"],
      ["leading dot", `.${good}`, "malformed"],
      ["leading space", ` ${good}`, "malformed"],
      ["trailing newline", `${good}\n`, "malformed"],
      ["tab inside the header", `${h.slice(0, 4)}\t${h.slice(4)}.${p}.${mac(`${h.slice(0, 4)}\t${h.slice(4)}.${p}`)}`, "malformed"],
      ["percent-encoded dot", good.replace(".", "%2E"), "malformed"],
      ["header with non-canonical last character", (() => {
        // the header's base64url carries unused bits in its last character when its length is not a multiple of 3
        const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        const hh = b64('{"alg":"HS256","typ":"at+jwt"} ');
        expect(hh.length % 4).not.toBe(0);
        const twin = hh.slice(0, -1) + alphabet[alphabet.indexOf(hh.at(-1)!) ^ 1];
        expect(Buffer.from(twin, "base64url").equals(Buffer.from(hh, "base64url"))).toBe(true);
        return signedText(twin, p);
      })(), "malformed"],
    ];
    for (const [name, token, want] of table) expect(code(() => verifyHs256(token, [KEY], OPTS)), `ours: ${name}`).toBe(want);
    for (const [name, token] of table.slice(0, 3)) expect((await jose(token)).ok, `jose: ${name}`).toBe(false);
    // a UTF-8 BOM before the JSON text: both decoders drop it (TextDecoder's default), both accept
    const bom = signedText(b64(`\uFEFF${JSON.stringify(HEADER)}`), b64(`\uFEFF${JSON.stringify(CLAIMS)}`));
    expect(await jose(bom)).toEqual({ ok: true, claims: CLAIMS });
    expect(ours(bom)).toEqual({ ok: true, claims: CLAIMS });
  });

  it("exp, nbf and iat edges: now, fractions, huge and negative numbers, -0, exponents, strings and booleans decide as jose decides", async () => {
    const payload = (extra: string) => signedText(b64(HEADER), b64(JSON.stringify({ ...CLAIMS, exp: undefined }).replace("}", `,${extra}}`)));
    const table: Array<[string, string]> = [
      ["exp now", `"exp":${T}`],
      ["exp now + 0.001", `"exp":${T}.001`],
      ["exp now as 1.7e9-style exponent", `"exp":${(T + 900) / 1e9}e9`],
      ["exp 1e300 (far future)", `"exp":1e300`],
      ["exp -0", `"exp":-0`],
      ["exp negative", `"exp":-1e300`],
      ["exp true", `"exp":true`],
      ["exp a numeric string", `"exp":"${T + 900}"`],
      ["exp an object", `"exp":{"valueOf":${T + 900}}`],
      ["exp NaN as a string", `"exp":"NaN"`],
      ["nbf now", `"exp":${T + 900},"nbf":${T}`],
      ["nbf now + 0.5", `"exp":${T + 900},"nbf":${T}.5`],
      ["nbf now + 1", `"exp":${T + 900},"nbf":${T + 1}`],
      ["nbf -1e300", `"exp":${T + 900},"nbf":-1e300`],
      ["nbf 1e300", `"exp":${T + 900},"nbf":1e300`],
      ["iat far future (not checked without maxTokenAge)", `"exp":${T + 900},"iat":1e300`],
      ["iat null", `"exp":${T + 900},"iat":null`],
    ];
    for (const [name, extra] of table) {
      const token = payload(extra);
      const theirs = await jose(token);
      expect(ours(token), name).toEqual(theirs);
    }
    // and the injected time decides, never the wall clock: the same token before its nbf, in its life, at its exp
    const life = raw(HEADER, { ...CLAIMS, nbf: T, exp: T + 60 });
    expect(ours(life, [KEY], { ...OPTS, now: new Date((T - 1) * 1000) })).toEqual({ ok: false, kind: "other" });
    expect(ours(life, [KEY], { ...OPTS, now: new Date((T + 59) * 1000 + 999) }).ok).toBe(true);
    expect(ours(life, [KEY], { ...OPTS, now: new Date((T + 60) * 1000) })).toEqual({ ok: false, kind: "expired" });
  });

  it("aud arrays: ours anywhere in a flat array passes; nested, near-miss or non-string entries do not", async () => {
    const auds: unknown[] = [["wangge-api"], ["x", "wangge-api", "wangge-api"], [["wangge-api"]], ["wangge-api\u0000"], ["Wangge-api"], [], [null], "wangge-api ", ["wangge-api".split("")]];
    for (const aud of auds) {
      const token = raw(HEADER, { ...CLAIMS, aud });
      expect(ours(token), JSON.stringify(aud)).toEqual(await jose(token));
    }
  });

  it("alg confusion: only the header alg HS256 is honoured; the key is ours whatever the header names", async () => {
    const p = b64(CLAIMS);
    // a 'public key' an attacker might hope we HMAC with, and key ids that name nothing
    const table: Array<[string, string]> = [
      ["alg HS256 with kid pointing at a file", signedText(b64({ ...HEADER, kid: "../../etc/passwd" }), p, OTHER)],
      ["alg ES256 signed with HMAC", signedText(b64({ ...HEADER, alg: "ES256" }), p)],
      ["alg none with our valid MAC", signedText(b64({ ...HEADER, alg: "none" }), p)],
      ["alg HS256\\u0000", signedText(b64({ ...HEADER, alg: "HS256\u0000" }), p)],
      ["alg 'HS256 '", signedText(b64({ ...HEADER, alg: "HS256 " }), p)],
      ["enc in a JWS (a JWE header)", signedText(b64({ ...HEADER, enc: "A256GCM" }), p, OTHER)],
    ];
    for (const [name, token] of table) {
      expect((await jose(token)).ok, `jose: ${name}`).toBe(false);
      expect(ours(token).ok, `ours: ${name}`).toBe(false);
    }
  });
});

describe("kid selects the key set: staff and resident tokens never pass for each other (core/auth/token.ts)", () => {
  const staff: Principal = { kind: "user", id: "user-1", username: "admin", assignments: [{ role: "county_admin", unitId: "u1", unitPath: "/u1/" }] };
  const resident: Principal = { kind: "resident", id: "res-1", unitId: "u9", unitPath: "/c/s/g/" };
  const base = { aud: "wangge-api", iss: "wangge", iat: T, exp: T + 900 };
  const staffClaims = { kind: "user", name: "admin", asg: staff.assignments, sub: "user-1", ...base };
  const residentClaims = { kind: "resident", unit: "u9", upath: "/c/s/g/", sub: "res-1", ...base };
  const invalid = { message: "Invalid token", details: { reason: "invalid" } };

  beforeAll(() => {
    process.env.WANGGE_JWT_SECRET = "jwt-attacks-staff-secret-0123456789abcdef";
    process.env.WANGGE_RESIDENT_KEY = "jwt-attacks-resident-key-new-0123456789ab jwt-attacks-resident-key-old-0123456789ab";
    resetJwtKey();
  });

  it("each key mints only its own kind: staff key + kid resident, resident key without kid, and either key claiming the other's kind are refused", async () => {
    const staffKey = await jwtKey();
    const [residentKey] = await residentTokenKeys();
    const rHeader = { alg: "HS256", typ: "at+jwt", kid: "resident" } as const;
    const sHeader = { alg: "HS256", typ: "at+jwt" } as const;
    // the real ones pass
    expect(await verifyAccessToken(signHs256(sHeader, staffClaims, staffKey), NOW)).toEqual(staff);
    expect(await verifyAccessToken(signHs256(rHeader, residentClaims, residentKey), NOW)).toEqual(resident);
    const attacks: Array<[string, string]> = [
      ["resident token re-signed without kid (resident key)", signHs256(sHeader, residentClaims, residentKey)],
      ["resident claims under the staff key, no kid", signHs256(sHeader, residentClaims, staffKey)],
      ["resident claims under the staff key, kid resident", signHs256(rHeader, residentClaims, staffKey)],
      ["staff claims under the resident key, kid resident (a leaked resident key)", signHs256(rHeader, staffClaims, residentKey)],
      ["staff claims under the old resident key, kid resident", signHs256(rHeader, staffClaims, (await residentTokenKeys())[1])],
      ["staff claims under the resident key, no kid", signHs256(sHeader, staffClaims, residentKey)],
      ["staff token with kid resident added (staff key)", signHs256(rHeader, staffClaims, staffKey)],
      ["resident claims, kid 'Resident' (resident key)", signHs256({ ...rHeader, kid: "Resident" }, residentClaims, residentKey)],
      ["resident claims, kid 'resident ' (resident key)", signHs256({ ...rHeader, kid: "resident " }, residentClaims, residentKey)],
      ["staff claims, kind missing", signHs256(sHeader, { ...staffClaims, kind: undefined }, staffKey)],
      ["staff claims, kind 'apikey'", signHs256(sHeader, { ...staffClaims, kind: "apikey" }, staffKey)],
      ["staff claims, sub a number", signHs256(sHeader, { ...staffClaims, sub: 1 }, staffKey)],
      ["staff claims, __proto__ kind resident under the resident key", (() => {
        const h = b64(rHeader);
        const p = b64(JSON.stringify({ ...staffClaims, kind: undefined }).replace("{", '{"__proto__":{"kind":"resident"},'));
        return signedText(h, p, residentKey);
      })()],
    ];
    for (const [name, token] of attacks) await expect(verifyAccessToken(token, NOW), name).rejects.toMatchObject(invalid);
  });

  it("the old resident key still verifies resident tokens during a rotation, never staff ones; the staff key has no rotation list", async () => {
    const [, oldResident] = await residentTokenKeys();
    const rHeader = { alg: "HS256", typ: "at+jwt", kid: "resident" } as const;
    expect(await verifyAccessToken(signHs256(rHeader, residentClaims, oldResident), NOW)).toEqual(resident);
    // a token signed with the raw RESIDENT_KEY text (not the derived key) is not a resident token
    const rawResident = new TextEncoder().encode("jwt-attacks-resident-key-new-0123456789ab");
    await expect(verifyAccessToken(signHs256(rHeader, residentClaims, rawResident), NOW)).rejects.toMatchObject(invalid);
  });

  it("a signed-in staff token passes at its injected time and is refused (expired) at exp, whatever the wall clock says", async () => {
    const { token } = await signAccessToken(staff, NOW);
    expect(await verifyAccessToken(token, new Date(NOW.getTime() + 899_999))).toEqual(staff);
    await expect(verifyAccessToken(token, new Date(NOW.getTime() + 900_000))).rejects.toMatchObject({ details: { reason: "expired" } });
    // an invalid Date as the clock refuses (invalid), it does not accept
    await expect(verifyAccessToken(token, new Date(Number.NaN))).rejects.toMatchObject(invalid);
  });
});
