import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { PhoneInput, codeHash, maskPhone, phoneHash, phoneHashes } from "./phone.ts";
import { resetJwtKey } from "../auth/secret.ts";
import { signAccessToken, verifyAccessToken } from "../auth/token.ts";
import { ipBucket } from "./limits.ts";

const RES_A = "resident-key-A-0123456789abcdefghijklmnop";
const RES_B = "resident-key-B-0123456789abcdefghijklmnop";
beforeAll(() => {
  process.env.WANGGE_JWT_SECRET = "test-secret-for-phone-hashing-0123456789";
  process.env.WANGGE_RESIDENT_KEY = RES_A;
  resetJwtKey();
});

describe("resident phone numbers", () => {
  it("normalizes +86, 0086, spaces and dashes to 11 digits and refuses other numbers", () => {
    expect(PhoneInput.parse("+86 138-1234-5678")).toBe("13812345678");
    expect(PhoneInput.parse("008613812345678")).toBe("13812345678");
    expect(PhoneInput.safeParse("0592-5000001").success).toBe(false);
    expect(PhoneInput.safeParse("12812345678").success).toBe(false);
  });

  it("masks all but the first three and last four digits", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
    fc.assert(fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (p) => {
      const m = maskPhone(p);
      expect(m).toHaveLength(11);
      expect(m.slice(3, 7)).toBe("****");
    }));
  });

  it("hashes a phone deterministically without containing it, and binds codes to the phone", async () => {
    const a = await phoneHash("13812345678");
    expect(a).toBe(await phoneHash("13812345678"));
    expect(a).not.toBe(await phoneHash("13812345679"));
    expect(a).not.toContain("13812345678");
    expect(await codeHash(a, "123456")).not.toBe(await codeHash(await phoneHash("13812345679"), "123456"));
  });

  it("hashes phones with the resident key only: rotating the JWT key changes no hash, rotating the resident key keeps the old hash findable", async () => {
    const before = await phoneHash("13900000000");
    process.env.WANGGE_JWT_SECRET = "another-jwt-secret-0123456789abcdefghij";
    resetJwtKey();
    expect(await phoneHash("13900000000")).toBe(before);
    process.env.WANGGE_RESIDENT_KEY = `${RES_B} ${RES_A}`;
    resetJwtKey();
    try {
      const all = await phoneHashes("13900000000");
      expect(all).toHaveLength(2);
      expect(all[0]).not.toBe(before);
      expect(all[1]).toBe(before);
      expect(await phoneHash("13900000000")).toBe(all[0]);
    } finally {
      process.env.WANGGE_RESIDENT_KEY = RES_A;
      resetJwtKey();
    }
  });

  it("signs resident tokens with the resident key: a staff-key token naming a resident, or a resident-key token naming a user, is refused", async () => {
    const now = new Date();
    const { token } = await signAccessToken({ kind: "resident", id: "r1", unitId: "g", unitPath: "/c/g/" }, now);
    expect(await verifyAccessToken(token, now)).toEqual({ kind: "resident", id: "r1", unitId: "g", unitPath: "/c/g/" });
    // the resident key rotates: tokens signed with the earlier key stay valid until they expire
    process.env.WANGGE_RESIDENT_KEY = `${RES_B} ${RES_A}`;
    resetJwtKey();
    try {
      expect((await verifyAccessToken(token, now)).id).toBe("r1");
      const fresh = await signAccessToken({ kind: "resident", id: "r2" }, now);
      process.env.WANGGE_RESIDENT_KEY = RES_A;
      resetJwtKey();
      await expect(verifyAccessToken(fresh.token, now)).rejects.toThrow(/Invalid token/);
    } finally {
      process.env.WANGGE_RESIDENT_KEY = RES_A;
      resetJwtKey();
    }
    // forge: a resident token signed with the staff key, and a staff token signed with the resident key
    const { SignJWT } = await import("jose");
    const { jwtKey } = await import("../auth/secret.ts");
    const { residentTokenKeys } = await import("../auth/resident-key.ts");
    const iat = Math.floor(now.getTime() / 1000);
    const forge = (claims: Record<string, unknown>, header: Record<string, string>, key: Uint8Array) =>
      new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "at+jwt", ...header }).setAudience("wangge-api").setSubject("x").setIssuer("wangge").setIssuedAt(iat).setExpirationTime(iat + 600).sign(key);
    await expect(verifyAccessToken(await forge({ kind: "resident" }, {}, await jwtKey()), now)).rejects.toThrow(/Invalid token/);
    await expect(verifyAccessToken(await forge({ kind: "user", asg: [] }, { kid: "resident" }, (await residentTokenKeys())[0]), now)).rejects.toThrow(/Invalid token/);
    await expect(verifyAccessToken(await forge({ kind: "resident" }, { kid: "resident" }, await jwtKey()), now)).rejects.toThrow(/Invalid token/);
  });

  it("refuses a resident key shorter than 32 bytes with a message saying so", async () => {
    process.env.WANGGE_RESIDENT_KEY = "short-key";
    resetJwtKey();
    try {
      await expect(phoneHash("13900000000")).rejects.toThrow("RESIDENT_KEY must be at least 32 bytes (key 1 has 9)");
    } finally {
      process.env.WANGGE_RESIDENT_KEY = RES_A;
      resetJwtKey();
    }
  });
});

describe("rate limit buckets", () => {
  it("keys IPv4 by address (also when mapped in IPv6) and IPv6 by its /64", () => {
    expect(ipBucket("::ffff:10.1.2.3")).toBe("10.1.2.3");
    expect(ipBucket("10.1.2.3")).toBe("10.1.2.3");
    expect(ipBucket("2001:db8:1:2:aaaa::1")).toBe(ipBucket("2001:db8:1:2:bbbb::9"));
    expect(ipBucket("")).toBe("unknown");
  });
});
