import { describe, expect, it } from "vitest";
import { errorRows, exportPath, fileNameOf, hintKeyOf, importPath, isExcelList, templatePath, toBase64 } from "./model.ts";

describe("Excel lists in the console", () => {
  it("maps each list to its API paths (staff are users)", () => {
    expect(templatePath("staff")).toBe("/v1/users/template.xlsx");
    expect(importPath("categories")).toBe("/v1/categories/import.xlsx");
    expect(isExcelList("departments")).toBe(true);
    expect(templatePath("people")).toBe("/v1/registry/people/template.xlsx");
    expect(exportPath("households")).toBe("/v1/registry/households/export.xlsx");
    expect(importPath("units")).toBe("/v1/units/import.xlsx");
    expect(isExcelList("units")).toBe(true);
    expect(isExcelList("places")).toBe(false);
  });

  it("orders a workbook's errors by sheet, then row, and takes each column's hint from the server's table (a unit code is digits)", () => {
    const rows = errorRows({
      errors: [
        { line: 4, code: "invalid", params: { sheet: "人员", field: "idNumber", column: "D" }, reason: "x" },
        { line: 5, code: "unit_out_of_scope", params: { sheet: "住户", field: "unitCode", column: "B" }, reason: "y" },
        { line: 3, code: "required", params: { sheet: "人员", field: "name", column: "B" }, reason: "z" },
      ],
    } as never);
    expect(rows.map((r) => [r.sheet, r.line])).toEqual([["人员", 3], ["人员", 4], ["住户", 5]].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1])));
    expect(hintKeyOf("code", "units")).toBe("unitCode");
    expect(hintKeyOf("code", "departments")).toBe("code");
    expect(hintKeyOf("police")).toBe("yesno");
  });

  it("turns a job's errors into table rows in row order, with the column letter and field", () => {
    const rows = errorRows({
      errors: [
        { line: 7, code: "unknown_role", params: { field: "role", column: "D", value: "队长" }, reason: "D: There is no role “队长”" },
        { line: 5, code: "required", params: { field: "contactName", column: "C" }, reason: "C: Contact is required" },
        { line: 0, reason: "the file of this import is missing" },
      ],
    });
    expect(rows.map((r) => [r.line, r.column, r.field, r.code])).toEqual([
      [0, undefined, undefined, undefined],
      [5, "C", "contactName", "required"],
      [7, "D", "role", "unknown_role"],
    ]);
  });

  it("encodes bytes as base64 in chunks, and reads the UTF-8 file name of a download", () => {
    const big = new Uint8Array(100_000).map((_, i) => i % 256);
    expect(toBase64(big)).toBe(Buffer.from(big).toString("base64"));
    expect(fileNameOf(`attachment; filename="___-2026.xlsx"; filename*=UTF-8''${encodeURIComponent("人员-2026.xlsx")}`, "x.xlsx")).toBe("人员-2026.xlsx");
    expect(fileNameOf(null, "x.xlsx")).toBe("x.xlsx");
  });
});
