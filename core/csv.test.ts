import { describe, it, expect } from "vitest";
import { BOM, csvCell, toCsv, unneutralise } from "./csv.ts";

describe("CSV for spreadsheets", () => {
  it("starts with a UTF-8 BOM and ends lines with CRLF", () => {
    const csv = toCsv(["姓名", "电话"], [["张三", "138****5678"]]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv).toBe(`${BOM}姓名,电话\r\n张三,138****5678\r\n`);
  });

  it("quotes commas, quotes and line breaks, and joins arrays", () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("line1\nline2")).toBe('"line1\nline2"');
    expect(csvCell(["elderly", "disabled"])).toBe("elderly;disabled");
    expect(csvCell(null)).toBe("");
  });

  it("neutralizes cells a spreadsheet would run as formulas", () => {
    expect(csvCell("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\rcmd")).toBe("\"'\rcmd\"");
    expect(csvCell("'=x")).toBe("''=x");
  });

  it("leaves plain numbers alone, as numbers or as text", () => {
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell("-2.5")).toBe("-2.5");
    expect(csvCell("+86")).toBe("'+86");
  });

  it("reads back exactly what it wrote, neutralised cells included", () => {
    for (const v of ["=1+1", "'=1+1", "''@x", "-3", "-x", "\tz", "普通文本"]) {
      expect(unneutralise(csvCell(v).replace(/^"|"$/g, "").replace(/""/g, '"'))).toBe(v);
    }
  });
});
