import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { randomBytes } from "node:crypto";
import { blindIndex, decryptField, deriveKeys, encryptField, sealedVersion } from "./field.ts";
import { DEFAULT_MASKS, MaskStyle, maskDate, showIdNumber, showPhone, storedIdNumberMask, storedPhoneMask } from "./mask.ts";

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
  const show = (value: string, style: unknown) => {
    const m = MaskStyle.parse(style);
    return { id: showIdNumber(storedIdNumberMask(value), m), phone: showPhone(storedPhoneMask(value), m) };
  };

  it("masks an ID number to its last four only by default (#19)", () => {
    expect(showIdNumber(storedIdNumberMask("310101199001011234"), DEFAULT_MASKS)).toBe("**************1234");
    expect(showIdNumber(storedIdNumberMask("31010119900101123X"), DEFAULT_MASKS)).toBe("**************123X");
  });

  it("masks mobiles and landlines to their last four only by default (#19)", () => {
    expect(showPhone(storedPhoneMask("13812345678"), DEFAULT_MASKS)).toBe("*******5678");
    expect(showPhone(storedPhoneMask("05925551234"), DEFAULT_MASKS)).toBe("*******1234");
    expect(showPhone(storedPhoneMask("1234"), DEFAULT_MASKS)).toBe("****");
  });

  it("shows a phone as first 3 + last 4 and an ID number by fewer trailing characters when the county's style says so", () => {
    expect(show("13812345678", { phone: { leading: 3, trailing: 4 } }).phone).toBe("138****5678");
    expect(show("13812345678", { phone: { leading: 0, trailing: 2 } }).phone).toBe("*********78");
    expect(show("310101199001011234", { idNumber: { trailing: 2 } }).id).toBe("****************34");
    expect(show("310101199001011234", { idNumber: { trailing: 0 } }).id).toBe("******************");
  });

  it("refuses a style that would show more than its safe bounds (no leading ID digits, at most 3 + 4 of a phone)", () => {
    for (const bad of [{ idNumber: { trailing: 5 } }, { idNumber: { leading: 4, trailing: 4 } }, { phone: { leading: 4, trailing: 4 } }, { phone: { leading: 3, trailing: 5 } }, { phone: { leading: 1 } }, { phone: { trailing: -1 } }]) {
      expect(MaskStyle.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("re-masks forms stored before #19 and in between under today's style", () => {
    expect(showIdNumber("3101**********1234", DEFAULT_MASKS)).toBe("**************1234");
    expect(showPhone("138****5678", DEFAULT_MASKS)).toBe("*******5678");
    expect(showPhone("0592***1234", DEFAULT_MASKS)).toBe("*******1234");
    // an interim last-4 form cannot show a prefix it does not hold
    expect(showPhone("*******5678", MaskStyle.parse({ phone: { leading: 3 } }))).toBe("*******5678");
  });

  it("keeps the year of a date", () => {
    expect(maskDate("1956-03-12")).toBe("1956-**-**");
  });

  it("never keeps more than 4 characters of an ID number, nor more than 3 + 4 of a mobile, in clear under any valid style", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{17}[\dX]$/),
        fc.stringMatching(/^1\d{10}$/),
        fc.record({ idNumber: fc.record({ trailing: fc.integer({ min: 0, max: 4 }) }), phone: fc.record({ leading: fc.constantFrom(0, 3), trailing: fc.integer({ min: 0, max: 4 }) }) }),
        (id, phone, style) => {
          const m = MaskStyle.parse(style);
          const shownId = showIdNumber(storedIdNumberMask(id), m);
          expect(shownId).toHaveLength(18);
          expect(shownId.slice(0, 14)).toBe("*".repeat(14));
          expect(shownId.replace(/\*/g, "")).toBe(m.idNumber.trailing ? id.slice(-m.idNumber.trailing) : "");
          const shownPhone = showPhone(storedPhoneMask(phone), m);
          expect(shownPhone).toHaveLength(11);
          expect(shownPhone.slice(3, 7)).toBe("****");
          expect(shownPhone.replace(/\*/g, "").length).toBe(m.phone.leading + m.phone.trailing);
        },
      ),
    );
  });
});
