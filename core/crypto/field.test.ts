import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { randomBytes } from "node:crypto";
import { blindIndex, decryptField, deriveKeys, encryptField, sealedVersion } from "./field.ts";
import { maskDate, maskIdNumber, maskPhone, remask } from "./mask.ts";

const keys = deriveKeys(randomBytes(32));

describe("field encryption (AES-256-GCM with derived keys)", () => {
  it("round-trips any text and records the key version", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 1, max: 9999 }), (text, version) => {
        const token = encryptField(keys.enc, version, text, "person:1:idNumber");
        expect(sealedVersion(token)).toBe(version);
        expect(decryptField(keys.enc, token, "person:1:idNumber")).toBe(text);
      }),
    );
  });

  it("never contains the plaintext and differs on every seal (random IV)", () => {
    const a = encryptField(keys.enc, 1, "110101199003071234", "x");
    const b = encryptField(keys.enc, 1, "110101199003071234", "x");
    expect(a).not.toBe(b);
    expect(a).not.toContain("110101199003071234");
  });

  it("refuses a value moved to another record or field (bound by AAD)", () => {
    const token = encryptField(keys.enc, 1, "13812345678", "person:A:phone");
    expect(() => decryptField(keys.enc, token, "person:B:phone")).toThrow();
    expect(() => decryptField(keys.enc, token, "person:A:idNumber")).toThrow();
  });

  it("refuses a tampered ciphertext and a wrong key", () => {
    const token = encryptField(keys.enc, 1, "13812345678", "a");
    const raw = Buffer.from(token.split(".")[2], "base64url");
    raw[raw.length - 1] ^= 1;
    expect(() => decryptField(keys.enc, `e1.1.${raw.toString("base64url")}`, "a")).toThrow();
    expect(() => decryptField(deriveKeys(randomBytes(32)).enc, token, "a")).toThrow();
    expect(() => sealedVersion("plain text")).toThrow();
  });

  it("derives different keys for encryption and the blind index", () => {
    expect(keys.enc.equals(keys.mac)).toBe(false);
    expect(() => deriveKeys(randomBytes(16))).toThrow();
  });
});

describe("blind index (keyed HMAC)", () => {
  it("is deterministic per key and value, and differs by kind and by key", () => {
    const a = blindIndex(keys.mac, "phone", "13812345678");
    expect(blindIndex(keys.mac, "phone", "13812345678")).toBe(a);
    expect(blindIndex(keys.mac, "id", "13812345678")).not.toBe(a);
    expect(blindIndex(deriveKeys(randomBytes(32)).mac, "phone", "13812345678")).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe("masks", () => {
  it("masks an ID number to its last four only (#19)", () => {
    expect(maskIdNumber("310101199001011234")).toBe("**************1234");
    expect(maskIdNumber("31010119900101123X")).toBe("**************123X");
  });

  it("masks mobiles and landlines to their last four only (#19)", () => {
    expect(maskPhone("13812345678")).toBe("*******5678");
    expect(maskPhone("05925551234")).toBe("*******1234");
    expect(maskPhone("1234")).toBe("****");
  });

  it("re-masks a form stored before #19 exactly like a new one", () => {
    expect(remask("3101**********1234")).toBe(maskIdNumber("310101199001011234"));
    expect(remask("138****5678")).toBe(maskPhone("13812345678"));
    expect(remask("0592***1234")).toBe(maskPhone("05925551234"));
  });

  it("keeps the year of a date", () => {
    expect(maskDate("1956-03-12")).toBe("1956-**-**");
  });

  it("never keeps more than 4 characters of an ID number in clear", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        const m = maskIdNumber(id);
        expect(m).toHaveLength(18);
        expect(m.replace(/\*/g, "")).toBe(id.slice(-4));
      }),
    );
  });
});
