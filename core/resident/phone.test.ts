import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { PhoneInput, codeHash, forgetPhoneKey, maskPhone, phoneHash } from "./phone.ts";
import { ipBucket } from "./limits.ts";

beforeAll(() => {
  process.env.WANGGE_JWT_SECRET ??= "test-secret-for-phone-hashing-0123456789";
  forgetPhoneKey();
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

  it("uses WANGGE_PHONE_KEY when set, so rotating the JWT key does not change hashes", async () => {
    const before = await phoneHash("13900000000");
    process.env.WANGGE_PHONE_KEY = "a-dedicated-phone-hmac-key-of-32-characters!";
    forgetPhoneKey();
    try {
      expect(await phoneHash("13900000000")).not.toBe(before);
    } finally {
      delete process.env.WANGGE_PHONE_KEY;
      forgetPhoneKey();
    }
    expect(await phoneHash("13900000000")).toBe(before);
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
