import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { idCheckChar, idInfo, isRealDate, normalizePhone, validIdNumber, validPhone } from "./idcard.ts";

/** A valid ID number from its first 17 digits. */
const withCheck = (first17: string) => first17 + idCheckChar(first17);

describe("GB 11643 resident ID numbers", () => {
  it("accepts published examples and computes their check character", () => {
    expect(validIdNumber("11010519491231002X")).toBe(true);
    expect(validIdNumber(withCheck("44052419800101001"))).toBe(true);
    expect(idCheckChar("11010519491231002")).toBe("X");
  });

  it("rejects any single changed digit (the check catches it)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const id = "11010519491231002X";
        const changed = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
        expect(validIdNumber(changed)).toBe(false);
      }),
    );
  });

  it("rejects wrong length, letters, impossible birth dates and a leading zero", () => {
    expect(validIdNumber("1101051949123100")).toBe(false);
    expect(validIdNumber("11010519491231002Y")).toBe(false);
    expect(validIdNumber(withCheck("11010519490230002"))).toBe(false); // 30 February
    expect(validIdNumber(withCheck("01010519491231002"))).toBe(false);
    expect(validIdNumber(withCheck("11010518991231002"))).toBe(false); // before 1900
  });

  it("reads birth date and gender from the number", () => {
    expect(idInfo("11010519491231002X")).toEqual({ birthDate: "1949-12-31", gender: "female", region: "110105" });
    expect(idInfo(withCheck("44052419800101001")).gender).toBe("male");
  });

  it("accepts every number built with its check character", () => {
    fc.assert(
      fc.property(fc.integer({ min: 110000, max: 659999 }), fc.date({ min: new Date("1900-01-01"), max: new Date("2020-12-31"), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }), (region, d, seq) => {
        const date = d.toISOString().slice(0, 10).replace(/-/g, "");
        expect(validIdNumber(withCheck(`${region}${date}${String(seq).padStart(3, "0")}`))).toBe(true);
      }),
    );
  });
});

describe("dates and phones", () => {
  it("knows real calendar dates", () => {
    expect(isRealDate("2024-02-29")).toBe(true);
    expect(isRealDate("2023-02-29")).toBe(false);
    expect(isRealDate("2023-13-01")).toBe(false);
    expect(isRealDate("2023-1-01")).toBe(false);
  });

  it("normalizes and validates mobiles and landlines", () => {
    expect(normalizePhone("+86 138-1234-5678")).toBe("13812345678");
    expect(normalizePhone("0592-5551234")).toBe("05925551234");
    expect(validPhone("13812345678")).toBe(true);
    expect(validPhone("05925551234")).toBe(true);
    expect(validPhone("01012345678")).toBe(true);
    expect(validPhone("12812345678")).toBe(false);
    expect(validPhone("1381234567")).toBe(false);
    expect(validPhone("12345")).toBe(false);
  });
});
