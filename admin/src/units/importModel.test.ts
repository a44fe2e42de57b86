import { describe, it, expect } from "vitest";
import { errorReportCsv, formatOf, isFinished, progressOf } from "./importModel.ts";

describe("unit import", () => {
  it("tells the format from the file's name or type", () => {
    expect(formatOf("grids.CSV")).toBe("csv");
    expect(formatOf("grids.geojson")).toBe("geojson");
    expect(formatOf("grids.json")).toBe("geojson");
    expect(formatOf("export", "text/csv")).toBe("csv");
    expect(formatOf("export.txt")).toBeUndefined();
  });

  it("shows progress once the total is known, 100 % when finished", () => {
    expect(progressOf({ status: "queued", done: 0, total: 0 })).toBeUndefined();
    expect(progressOf({ status: "importing", done: 50, total: 200 })).toBe(25);
    expect(progressOf({ status: "failed", done: 3, total: 200 })).toBe(100);
    expect(isFinished({ status: "succeeded" })).toBe(true);
    expect(isFinished({ status: "validating" })).toBe(false);
  });

  it("writes the error report as line,reason CSV with quoting", () => {
    expect(errorReportCsv([
      { line: 2, reason: "code: duplicate" },
      { line: 7, reason: 'name "x", too long' },
    ])).toBe('line,reason\r\n2,code: duplicate\r\n7,"name ""x"", too long"\r\n');
  });
});
