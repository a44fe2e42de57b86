import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { readFileSync, readdirSync } from "node:fs";
import { SignJWT } from "jose";
import { jwtHeader, signHs256, verifyHs256, type JwtErrorCode } from "./jwt-hs256.ts";
import { b64, errorCode, hmac, joseOutcome, oursOutcome } from "../../test/jwt-oracle.ts";
import { resetJwtKey, jwtKey } from "./secret.ts";
import { residentTokenKeys } from "./resident-key.ts";
import { signAccessToken, verifyAccessToken } from "./token.ts";
import type { Principal } from "./principal.ts";

/*
 * Our HS256 verifier against jose 6 (a devDependency kept as the oracle, as core/crypto/kms.test.ts
 * keeps the KMS client): what jose signs we verify and the other way round, byte for byte; what jose
 * refuses we refuse, with the same kind (expired / bad signature / other); and the few things jose
 * lets through that we refuse on purpose (docs/security.md "Access tokens: our HS256 verifier").
 */

const KEY = new TextEncoder().encode("jwt-hs256-test-key-0123456789abcdefghij");
const OTHER = new TextEncoder().encode("jwt-hs256-other-key-0123456789abcdefghi");
const NOW = new Date("2026-12-05T06:00:00.000Z");
const T = Math.floor(NOW.getTime() / 1000);
const OPTS = { issuer: "wangge", audience: "wangge-api", typ: "at+jwt", now: NOW };
const JOSE_OPTS = { algorithms: ["HS256"], issuer: "wangge", audience: "wangge-api", typ: "at+jwt", currentDate: NOW };
const HEADER = { alg: "HS256", typ: "at+jwt" } as const;
const CLAIMS = { kind: "user", name: "admin", asg: [{ role: "admin", unitId: "u1" }], aud: "wangge-api", sub: "user-1", iss: "wangge", iat: T, exp: T + 900 };

const mac = (input: string, key: Uint8Array = KEY) => hmac(input, key);
/** A token of any header and payload text, signed with `key` over exactly these segments. */
const raw = (header: unknown, payload: unknown, key = KEY) => `${b64(header)}.${b64(payload)}.${mac(`${b64(header)}.${b64(payload)}`, key)}`;

const ours = (token: string, keys: Uint8Array[] = [KEY], opts = OPTS) => oursOutcome(token, keys, opts);
const jose = (token: string, key = KEY, opts = JOSE_OPTS) => joseOutcome(token, key, opts);
const code = errorCode;

describe("HS256 tokens against jose (oracle)", () => {
  it("signs byte for byte as jose's SignJWT does, and each verifies the other's tokens", async () => {
    const cases: Array<[Record<string, unknown> & { alg: "HS256" }, Record<string, unknown>]> = [
      [HEADER, CLAIMS],
      [{ alg: "HS256", typ: "at+jwt", kid: "resident" }, { kind: "resident", unit: "u9", upath: "/a/b/", aud: "wangge-api", sub: "r-1", iss: "wangge", iat: T, exp: T + 1 }],
      [{ alg: "HS256", typ: "AT+JWT" }, { ...CLAIMS, aud: ["other", "wangge-api"], nbf: T, name: "网格员 \u2028 \"q\" \\ é" }],
      [{ alg: "HS256", typ: "application/at+jwt" }, { ...CLAIMS, exp: T + 10 ** 9 }],
    ];
    for (const [header, claims] of cases) {
      const theirs = await new SignJWT(claims).setProtectedHeader(header).sign(KEY);
      const mine = signHs256(header, claims, KEY);
      expect(mine).toBe(theirs);
      expect(ours(theirs)).toEqual({ ok: true, claims });
      expect(await jose(mine)).toEqual({ ok: true, claims });
    }
  });

  it("refuses everything jose refuses, with the same kind (expired, bad signature, other)", async () => {
    const [h, p] = [b64(HEADER), b64(CLAIMS)];
    const good = raw(HEADER, CLAIMS);
    const sig = good.split(".")[2];
    type Kind = "expired" | "signature" | "other";
    // [name, token, jose's kind, ours if it differs] — only `expired` reaches the client (401 reason expired, else invalid)
    const table: Array<[string, string, Kind, Kind?]> = [
      ["alg none, no signature", `${b64({ alg: "none", typ: "at+jwt" })}.${p}.`, "other"],
      ["alg none, signed", raw({ alg: "none", typ: "at+jwt" }, CLAIMS), "other"],
      ["alg HS384 (signed HS256)", raw({ alg: "HS384", typ: "at+jwt" }, CLAIMS), "other"],
      ["alg RS256", raw({ alg: "RS256", typ: "at+jwt" }, CLAIMS), "other"],
      ["alg hs256 (case)", raw({ alg: "hs256", typ: "at+jwt" }, CLAIMS), "other"],
      ["alg missing", raw({ typ: "at+jwt" }, CLAIMS), "other"],
      ["alg as array", raw({ alg: ["HS256"], typ: "at+jwt" }, CLAIMS), "other"],
      ["two segments", `${h}.${p}`, "other"],
      ["one segment", h, "other"],
      ["four segments", `${good}.${sig}`, "other"],
      ["empty string", "", "other"],
      ["empty header", `.${p}.${mac(`.${p}`)}`, "other"],
      ["header not JSON", raw("{alg:HS256}", CLAIMS), "other"],
      ["header an array", raw([HEADER], CLAIMS), "other"],
      ["header null", raw(null, CLAIMS), "other"],
      ["bad signature", `${h}.${p}.${mac(`${h}.${p}`, OTHER)}`, "signature"],
      ["empty signature", `${h}.${p}.`, "signature"],
      ["truncated signature (30 bytes)", `${h}.${p}.${sig.slice(0, 40)}`, "signature"],
      ["padded signature (two =)", `${h}.${p}.${sig}==`, "other"],
      ["signature with a non-alphabet character", `${h}.${p}.${sig.slice(0, 20)}*${sig.slice(21)}`, "other"],
      ["signature in standard base64", `${h}.${p}.${Buffer.from(sig, "base64url").toString("base64").replace(/=+$/, "")}`, "other"],
      ["payload swapped after signing", `${h}.${b64({ ...CLAIMS, sub: "root" })}.${sig}`, "signature"],
      ["header swapped after signing", `${b64({ alg: "HS256", typ: "at+jwt", kid: "resident" })}.${p}.${sig}`, "signature"],
      ["payload not JSON", raw(HEADER, "not json"), "other"],
      ["payload an array", raw(HEADER, [CLAIMS]), "other"],
      ["payload a string", raw(HEADER, JSON.stringify("x")), "other"],
      ["payload null", raw(HEADER, "null"), "other"],
      ["payload invalid UTF-8", `${h}.${Buffer.from([0x7b, 0xff, 0x7d]).toString("base64url")}.${mac(`${h}.${Buffer.from([0x7b, 0xff, 0x7d]).toString("base64url")}`)}`, "other"],
      ["no typ", raw({ alg: "HS256" }, CLAIMS), "other"],
      ["typ JWT", raw({ alg: "HS256", typ: "JWT" }, CLAIMS), "other"],
      ["typ other/at+jwt", raw({ alg: "HS256", typ: "other/at+jwt" }, CLAIMS), "other"],
      ["typ a number", raw({ alg: "HS256", typ: 1 }, CLAIMS), "other"],
      ["wrong iss", raw(HEADER, { ...CLAIMS, iss: "evil" }), "other"],
      ["no iss", raw(HEADER, { ...CLAIMS, iss: undefined }), "other"],
      ["iss in an array", raw(HEADER, { ...CLAIMS, iss: ["wangge"] }), "other"],
      ["wrong aud", raw(HEADER, { ...CLAIMS, aud: "other-api" }), "other"],
      ["aud array without ours", raw(HEADER, { ...CLAIMS, aud: ["a", "b"] }), "other"],
      ["no aud", raw(HEADER, { ...CLAIMS, aud: undefined }), "other"],
      ["aud an object", raw(HEADER, { ...CLAIMS, aud: { 0: "wangge-api" } }), "other"],
      ["exp == now", raw(HEADER, { ...CLAIMS, exp: T }), "expired"],
      ["exp in the past", raw(HEADER, { ...CLAIMS, exp: T - 1 }), "expired"],
      ["exp a fraction below now", raw(HEADER, { ...CLAIMS, exp: T - 0.5 }), "expired"],
      ["exp a string", raw(HEADER, { ...CLAIMS, exp: String(T + 900) }), "other"],
      ["exp null", raw(HEADER, { ...CLAIMS, exp: null }), "other"],
      ["nbf in the future", raw(HEADER, { ...CLAIMS, nbf: T + 1 }), "other"],
      ["nbf a string", raw(HEADER, { ...CLAIMS, nbf: String(T) }), "other"],
      ["iat a string", raw(HEADER, { ...CLAIMS, iat: String(T) }), "other"],
      ["iat an array", raw(HEADER, { ...CLAIMS, iat: [T] }), "other"],
      ["expired and wrong iss (iss decides)", raw(HEADER, { ...CLAIMS, iss: "evil", exp: T }), "other"],
      ["expired and future nbf (nbf decides)", raw(HEADER, { ...CLAIMS, nbf: T + 5, exp: T }), "other"],
      ["expired, bad signature (signature decides)", `${h}.${b64({ ...CLAIMS, exp: T })}.${mac(`${h}.${b64({ ...CLAIMS, exp: T })}`, OTHER)}`, "signature"],
      ["crit with an unknown parameter", raw({ ...HEADER, crit: ["exp"], exp: 1 }, CLAIMS), "other"],
      ["crit empty", raw({ ...HEADER, crit: [] }, CLAIMS), "other"],
      ["crit b64 false (unencoded payload)", raw({ ...HEADER, crit: ["b64"], b64: false }, CLAIMS), "other"],
      ["jwk in the header, signed with that key", (() => {
        const attacker = new TextEncoder().encode("attacker-key-0123456789abcdefghijklmnop");
        return raw({ ...HEADER, jwk: { kty: "oct", k: Buffer.from(attacker).toString("base64url") } }, CLAIMS, attacker);
      })(), "signature", "other"],
      ["jku in the header, signed with another key", raw({ ...HEADER, jku: "https://evil.example/jwks" }, CLAIMS, OTHER), "signature", "other"],
    ];
    for (const [name, token, kind, oursKind = kind] of table) {
      expect(await jose(token), `jose: ${name}`).toEqual({ ok: false, kind });
      expect(ours(token), `ours: ${name}`).toEqual({ ok: false, kind: oursKind });
    }
    // and the table's base: both accept it
    expect(ours(good)).toEqual({ ok: true, claims: CLAIMS });
    expect(await jose(good)).toEqual({ ok: true, claims: CLAIMS });
  });

  it("refuses what jose lets through on purpose: keys or extensions named in the header, padded, spaced or non-canonical base64url, no or infinite exp, a non-string kid", async () => {
    const [h, p] = [b64(HEADER), b64(CLAIMS)];
    const sig = mac(`${h}.${p}`);
    // the last character of a 32-byte signature carries 4 unused bits: another character, same bytes
    const last = sig.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const twin = alphabet[alphabet.indexOf(last) ^ 1];
    // jose (on Node 22, without Uint8Array.fromBase64) decodes with atob: padding and white space pass
    const withPadding = (o: object) => ["", "x", "xy"].map((pad) => Buffer.from(JSON.stringify({ ...o, pad })).toString("base64")).find((t) => t.endsWith("="))!;
    const [padded, paddedH] = [withPadding(CLAIMS), withPadding(HEADER)];
    expect([padded.endsWith("="), paddedH.endsWith("=")]).toEqual([true, true]);
    const table: Array<[string, string, JwtErrorCode]> = [
      ["jwk in the header (signed with our key)", raw({ ...HEADER, jwk: { kty: "oct", k: "AA" } }, CLAIMS), "header"],
      ["jku in the header", raw({ ...HEADER, jku: "https://evil.example/jwks" }, CLAIMS), "header"],
      ["x5u in the header", raw({ ...HEADER, x5u: "https://evil.example/cert" }, CLAIMS), "header"],
      ["x5c in the header", raw({ ...HEADER, x5c: ["MIIB"] }, CLAIMS), "header"],
      ["b64 true without crit", raw({ ...HEADER, b64: true }, CLAIMS), "header"],
      ["crit b64 true", raw({ ...HEADER, crit: ["b64"], b64: true }, CLAIMS), "header"],
      ["kid a number", raw({ ...HEADER, kid: 1 }, CLAIMS), "header"],
      ["signature with non-zero unused bits", `${h}.${p}.${sig.slice(0, -1)}${twin}`, "malformed"],
      ["padded signature (one =)", `${h}.${p}.${sig}=`, "malformed"],
      ["signature with a space inside", `${h}.${p}.${sig.slice(0, 10)} ${sig.slice(10)}`, "malformed"],
      ["padded payload, signed over the padded text", `${h}.${padded}.${mac(`${h}.${padded}`)}`, "malformed"],
      ["padded header, signed over the padded text", `${paddedH}.${p}.${mac(`${paddedH}.${p}`)}`, "malformed"],
      ["payload with a line break inside, signed over it", `${h}.${p.slice(0, 8)}\n${p.slice(8)}.${mac(`${h}.${p.slice(0, 8)}\n${p.slice(8)}`)}`, "malformed"],
      ["no exp", raw(HEADER, { ...CLAIMS, exp: undefined }), "claims"],
      ["exp infinite (1e999 in the JSON text)", raw(HEADER, JSON.stringify(CLAIMS).replace(/"exp":\d+/, '"exp":1e999')), "claims"],
    ];
    for (const [name, token, want] of table) {
      expect((await jose(token)).ok, `jose accepts: ${name}`).toBe(true);
      expect(code(() => verifyHs256(token, [KEY], OPTS)), `ours: ${name}`).toBe(want);
    }
  });

  it("never accepts a token jose refuses, over thousands of random mutations of good tokens (seeded; fast-check prints the seed)", async () => {
    const tokens = [raw(HEADER, CLAIMS), raw({ ...HEADER, kid: "resident" }, { ...CLAIMS, exp: T + 1 }), raw(HEADER, { ...CLAIMS, nbf: T, aud: ["x", "wangge-api"] })];
    const mutation = fc.record({
      which: fc.nat(tokens.length - 1),
      at: fc.nat(400),
      op: fc.constantFrom("replace", "insert", "delete"),
      ch: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \n%"),
    });
    let bothAccepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        let t = tokens[ms[0].which];
        for (const m of ms) {
          const at = m.at % (t.length + 1);
          t = m.op === "replace" ? t.slice(0, at) + m.ch + t.slice(at + 1) : m.op === "insert" ? t.slice(0, at) + m.ch + t.slice(at) : t.slice(0, at) + t.slice(at + 1);
        }
        const [mine, theirs] = [ours(t), await jose(t)];
        if (mine.ok) {
          bothAccepted++;
          expect(theirs).toEqual(mine);
        }
        if (!theirs.ok) expect(mine.ok).toBe(false);
        // both refused: expired exactly when jose says so, and a bad signature only where jose finds one too
        if (!mine.ok && !theirs.ok) {
          expect(mine.kind === "expired").toBe(theirs.kind === "expired");
          if (mine.kind === "signature") expect(theirs.kind).toBe("signature");
        }
      }),
      { numRuns: 3000, seed: Number(process.env.JWT_FUZZ_SEED ?? 20261205) },
    );
    // an unchanged token (a deleted-then-reinserted character, a replacement by itself) is accepted by both now and then
    expect(bothAccepted).toBeGreaterThan(0);
  });

  it("decides claims and typ as jose does for thousands of random, correctly signed tokens (seeded)", async () => {
    // values around the edges: now, a second either side, fractions, wrong types; typ spellings
    const time = fc.oneof({ arbitrary: fc.constantFrom(T - 1, T, T + 1, T - 0.5, T + 0.5, 0, -1, 1e12), weight: 3 }, fc.constantFrom("1", null, true, [T], {}), { arbitrary: fc.integer({ min: T - 2000, max: T + 2000 }), weight: 3 });
    const maybe = <V,>(a: fc.Arbitrary<V>) => fc.option(a, { nil: undefined });
    const claims = fc.record({
      iss: fc.oneof({ arbitrary: fc.constant("wangge"), weight: 6 }, maybe(fc.constantFrom("Wangge", "wangge ", "", ["wangge"], 1))),
      aud: fc.oneof({ arbitrary: fc.constantFrom("wangge-api", ["wangge-api"], ["x", "wangge-api"], [1, "wangge-api"]), weight: 6 }, maybe(fc.constantFrom("other", [], ["x"], { a: 1 }, null))),
      iat: maybe(time),
      nbf: maybe(time),
      exp: time,
      sub: maybe(fc.string()),
    });
    const typ = fc.oneof({ arbitrary: fc.constantFrom("at+jwt", "AT+JWT", "application/at+jwt", "Application/AT+JWT"), weight: 6 }, maybe(fc.constantFrom("jwt", "at+jwt ", "x/at+jwt", 5)));
    let accepted = 0;
    let expired = 0;
    await fc.assert(
      fc.asyncProperty(claims, typ, fc.constantFrom(undefined, "resident"), async (c, t, kid) => {
        const token = raw({ alg: "HS256", ...(t === undefined ? {} : { typ: t }), ...(kid ? { kid } : {}) }, c);
        const [mine, theirs] = [ours(token), await jose(token)];
        expect(mine).toEqual(theirs);
        if (mine.ok) accepted++;
        else if (mine.kind === "expired") expired++;
      }),
      { numRuns: 3000, seed: Number(process.env.JWT_FUZZ_SEED ?? 20261205) },
    );
    // both outcomes occur often enough for the comparison to mean something
    expect(accepted).toBeGreaterThan(30);
    expect(expired).toBeGreaterThan(30);
  });

  it("reads the header only to choose keys: three segments, HS256, no key parameters", () => {
    expect(jwtHeader(raw({ ...HEADER, kid: "resident" }, CLAIMS))).toEqual({ ...HEADER, kid: "resident" });
    expect(code(() => jwtHeader(raw({ alg: "none" }, CLAIMS)))).toBe("header");
    expect(code(() => jwtHeader("a.b"))).toBe("malformed");
    expect(code(() => jwtHeader(undefined as unknown as string))).toBe("malformed");
  });

  it("tries each key in turn (a rotation), and refuses keys shorter than MIN_KEY_BYTES when signing or verifying", () => {
    const t = raw(HEADER, CLAIMS, OTHER);
    expect(ours(t, [KEY, OTHER])).toEqual({ ok: true, claims: CLAIMS });
    expect(ours(t, [OTHER, KEY])).toEqual({ ok: true, claims: CLAIMS });
    expect(ours(t, [KEY])).toEqual({ ok: false, kind: "signature" });
    expect(ours(t, [])).toEqual({ ok: false, kind: "signature" });
    const short = new Uint8Array(31).fill(7);
    expect(() => signHs256(HEADER, CLAIMS, short)).toThrow(/at least 32 bytes/);
    expect(code(() => verifyHs256(raw(HEADER, CLAIMS, short), [short], OPTS))).toBe("error");
    expect(() => signHs256({ alg: "HS256", jwk: {} }, CLAIMS, KEY)).toThrow();
    expect(() => signHs256(HEADER, { ...CLAIMS, exp: Infinity }, KEY)).toThrow(/finite/);
    expect(code(() => verifyHs256(raw(HEADER, CLAIMS), [KEY], { ...OPTS, now: new Date(Number.NaN) }))).toBe("error");
  });
});

describe("access tokens (core/auth/token.ts) on our verifier", () => {
  beforeAll(() => {
    process.env.WANGGE_JWT_SECRET = "jwt-hs256-token-test-secret-0123456789ab";
    process.env.WANGGE_RESIDENT_KEY = "jwt-hs256-resident-key-0123456789abcdefg";
    resetJwtKey();
  });

  it("issues the same bytes jose's SignJWT chain did, for staff and residents, and verifies them at the injected time", async () => {
    const assignments = [{ role: "county_admin" as const, unitId: "u1", unitPath: "/u1/" }];
    const staff: Principal = { kind: "user", id: "user-1", username: "admin", assignments };
    const resident: Principal = { kind: "resident", id: "res-1", unitId: "u9", unitPath: "/c/s/g/" };
    const mine = await signAccessToken(staff, NOW);
    const theirs = await new SignJWT({ kind: "user", name: "admin", asg: assignments }).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).setAudience("wangge-api").setSubject("user-1").setIssuer("wangge").setIssuedAt(T).setExpirationTime(T + 900).sign(await jwtKey());
    expect(mine.token).toBe(theirs);
    const r = await signAccessToken(resident, NOW);
    const rTheirs = await new SignJWT({ kind: "resident", unit: "u9", upath: "/c/s/g/" }).setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: "resident" }).setAudience("wangge-api").setSubject("res-1").setIssuer("wangge").setIssuedAt(T).setExpirationTime(T + 900).sign((await residentTokenKeys())[0]);
    expect(r.token).toBe(rTheirs);
    expect(await verifyAccessToken(mine.token, NOW)).toEqual(staff);
    expect(await verifyAccessToken(r.token, NOW)).toEqual(resident);
    // 15 minutes later it is expired (exp == now), a second before it is not
    expect(await verifyAccessToken(mine.token, new Date(NOW.getTime() + 899_000))).toEqual(staff);
    await expect(verifyAccessToken(mine.token, new Date(NOW.getTime() + 900_000))).rejects.toMatchObject({ message: "Token expired", details: { reason: "expired" } });
    await expect(verifyAccessToken(`${mine.token}x`, NOW)).rejects.toMatchObject({ message: "Invalid token", details: { reason: "invalid" } });
    await expect(verifyAccessToken("garbage", NOW)).rejects.toMatchObject({ message: "Invalid token", details: { reason: "invalid" } });
  });

  it("nothing deployed imports jose or jsonc-parser: both are devDependencies (kept as the oracles of these tests)", () => {
    const root = new URL("../../", import.meta.url);
    const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
    for (const name of ["jose", "jsonc-parser"]) {
      expect(pkg.dependencies[name], name).toBeUndefined();
      expect(pkg.devDependencies[name], name).toMatch(/^\d+\.\d+\.\d+$/);
    }
    const sources = ["core", "functions", "local", "stacks"].flatMap((d) => (readdirSync(new URL(d, root), { recursive: true }) as string[]).map((f) => `${d}/${f}`));
    const server = sources.filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));
    expect(server.length).toBeGreaterThan(100);
    const importing = server.filter((f) => /(?:from|import\()\s*["'](jose|jsonc-parser)["']/.test(readFileSync(new URL(f, root), "utf8")));
    expect(importing).toEqual([]);
  });
});
