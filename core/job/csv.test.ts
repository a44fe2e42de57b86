import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { BOM, errorReportCsv, parseCsv } from "./csv.ts";
import { csvLine as csvRow } from "../csv.ts";
import { InvalidError } from "../errors.ts";

describe("parseCsv", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, and numbers records by their first line", () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",z\n3,,\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ["a", "b", "c"] },
      { line: 2, fields: ["1", "x, y", 'say "hi"'] },
      { line: 3, fields: ["2", "two\nlines", "z"] },
      { line: 5, fields: ["3", "", ""] },
    ]);
  });

  it("strips a UTF-8 BOM and skips blank lines", () => {
    expect(parseCsv(`${BOM}code,name\n\n350206,示范区\n\n`)).toEqual([
      { line: 1, fields: ["code", "name"] },
      { line: 3, fields: ["350206", "示范区"] },
    ]);
  });

  it("reads a last record without a line break, including a trailing empty field", () => {
    expect(parseCsv('a,b\n1,"2"')).toEqual([{ line: 1, fields: ["a", "b"] }, { line: 2, fields: ["1", "2"] }]);
    expect(parseCsv("a,b\n1,")).toEqual([{ line: 1, fields: ["a", "b"] }, { line: 2, fields: ["1", ""] }]);
  });

  it("refuses an unclosed quote naming the line", () => {
    expect(() => parseCsv('a\n"open\nstill open')).toThrow(InvalidError);
    expect(() => parseCsv('a\n"open\nstill open')).toThrow(/line 2/);
  });

  it("reads back whatever csvRow writes (property)", () => {
    const field = fc.oneof(fc.string(), fc.constantFrom('"', ",", "\r\n", "\n", " a ", "社区,\"东\"", "=SUM(A1)", "'=x", "''+1", "-3", "-x", "@a", "\tz"));
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 8 }), (rows) => {
        const text = rows.map((r) => csvRow(r)).join("");
        expect(parseCsv(text).map((r) => r.fields)).toEqual(rows);
      }),
    );
  });

  it("writes an error report with a BOM and a line,reason header", () => {
    expect(errorReportCsv([{ line: 3, reason: "bad, very bad" }])).toBe(`${BOM}line,reason\r\n3,"bad, very bad"\r\n`);
  });
});
