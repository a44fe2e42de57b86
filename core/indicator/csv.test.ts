import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { BOM, csvField, parseCsv, toCsv } from "./csv.ts";

describe("CSV", () => {
  it("reads quoted fields, doubled quotes, CRLF, a byte-order mark and skips blank lines", () => {
    const text = `${BOM}period,unit,key,value\r\n2026-03,350206001001001,police_incidents,3\r\n\r\n"2026-03","350206001001002","note ""x"", y",4\n`;
    expect(parseCsv(text)).toEqual([
      ["period", "unit", "key", "value"],
      ["2026-03", "350206001001001", "police_incidents", "3"],
      ["2026-03", "350206001001002", 'note "x", y', "4"],
    ]);
  });

  it("refuses an unterminated quote", () => {
    expect(() => parseCsv('a,"b\n')).toThrow(/line 1/);
  });

  it("writes a UTF-8 BOM, CRLF lines and neutralizes formula-looking text", () => {
    const out = toCsv(["名称", "分数"], [["金山社区", 82.5], ["=cmd()", null]]);
    expect(out.startsWith(BOM)).toBe(true);
    expect(out).toBe(`${BOM}名称,分数\r\n金山社区,82.5\r\n'=cmd(),\r\n`);
    expect(csvField(-3)).toBe("-3");
  });

  it("reads back what it writes (property)", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "网", ",", '"', "\n", " ", "1") });
    fc.assert(
      fc.property(fc.array(fc.tuple(text.filter((s) => /^[a-z网1]/.test(s)), text.filter((s) => /^[a-z网1]/.test(s))), { minLength: 1, maxLength: 5 }), (rows) => {
        expect(parseCsv(toCsv(["x", "y"], rows)).slice(1)).toEqual(rows);
      }),
    );
  });
});
