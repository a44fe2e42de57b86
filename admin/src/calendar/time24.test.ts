import { describe, it, expect } from "vitest";
import { isTime24, normalizeTime } from "./time24.ts";

describe("24-hour times", () => {
  it("accept HH:MM from 00:00 to 23:59, and 24:00 only as the end of a day", () => {
    expect(isTime24("08:30")).toBe(true);
    expect(isTime24("23:59")).toBe(true);
    expect(isTime24("24:00")).toBe(false);
    expect(isTime24("24:00", true)).toBe(true);
    expect(isTime24("8:30")).toBe(false);
    expect(isTime24("下午 2:30")).toBe(false);
    expect(isTime24("2:30 PM")).toBe(false);
  });

  it("tidy what people type: 9:5, 930, 0930 and a full-width colon", () => {
    expect(normalizeTime("9:5")).toBe("09:05");
    expect(normalizeTime("930")).toBe("09:30");
    expect(normalizeTime("1730")).toBe("17:30");
    expect(normalizeTime("14：00")).toBe("14:00");
    expect(normalizeTime("abc")).toBe("abc");
  });
});
