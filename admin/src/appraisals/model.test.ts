import { describe, it, expect } from "vitest";
import { bandCss, draftProblems, importErrors, shiftMonth, tableCsv, weightShares, type RulesDraft } from "./model.ts";

describe("appraisal screens' model", () => {
  it("writes a table as CSV with a byte-order mark, CRLF and formula cells neutralised", () => {
    const csv = tableCsv(["名称", "得分"], [["=HYPERLINK(\"x\")", 61.5], ["+1+2", -3], ["第1网格", null], ["a,b", "-2.5"]]);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv.slice(1).split("\r\n")).toEqual(["名称,得分", `"'=HYPERLINK(""x"")",61.5`, "'+1+2,-3", "第1网格,", `"a,b",-2.5`, ""]);
  });

  it("turns the API's row issues into a line-numbered error table with translatable messages", () => {
    expect(
      importErrors([
        { path: "rows.3.key", message: "police: above the maximum 40" },
        { path: "rows.4.unit", message: "unknown or inactive unit 999" },
        { path: "rows.7.period", message: 'a month YYYY-MM, not "2026-13"' },
        { path: "rows.9.period", message: "2026-03 is not the month being imported (2026-02)" },
        { path: "items.0.values.police", message: "police: below the minimum 0" },
        { path: "rows.8.value", message: "not a number" },
      ]),
    ).toEqual([
      { line: 3, field: "key", message: "police: above the maximum 40", key: "above_max", params: { key: "police", max: "40" } },
      { line: 4, field: "unit", message: "unknown or inactive unit 999", key: "unknown_unit", params: { unit: "999" } },
      { line: 7, field: "period", message: 'a month YYYY-MM, not "2026-13"', key: "bad_month", params: { value: "2026-13" } },
      { line: 9, field: "period", message: "2026-03 is not the month being imported (2026-02)", key: "other_month", params: { value: "2026-03", period: "2026-02" } },
      { line: 1, field: "police", message: "police: below the minimum 0", key: "below_min", params: { key: "police", min: "0" } },
      { line: 8, field: "value", message: "not a number", key: "not_a_number", params: {} },
    ]);
  });

  it("checks a rules draft: bands from 0 and rising, each indicator once with a positive weight", () => {
    const draft: RulesDraft = {
      fiveColor: {
        indicators: [
          { key: "closeRate", weight: 20 },
          { key: "closeRate", weight: 0 },
        ],
        bands: [
          { min: 0, color: "red", label: "poor" },
          { min: 60, color: "yellow", label: "fair" },
          { min: 60, color: "orange", label: "good" },
          { min: 80, color: "blue", label: "fine" },
          { min: 90, color: "green", label: "excellent" },
        ],
        levels: [],
      },
      department: { weights: {}, grades: [] },
      worker: { weights: {}, grades: [] },
      points: {},
    };
    expect(draftProblems(draft)).toEqual({
      "fiveColor.bands.2.min": "app.appraisals.rules.bands_rise",
      "fiveColor.indicators.1.key": "app.appraisals.rules.indicator_twice",
      "fiveColor.indicators.1.weight": "app.appraisals.rules.weight_positive",
    });
  });

  it("computes weight shares, band colours and months", () => {
    expect(weightShares([25, 20, 20, 15, 10, 10])).toEqual([25, 20, 20, 15, 10, 10]);
    expect(weightShares([1, 2, 0])).toEqual([33.3, 66.7, 0]);
    expect(bandCss("yellow")).toBe("#fbc02d");
    expect(bandCss("#123456")).toBe("#123456");
    expect(bandCss(null)).toBe("#bdbdbd");
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
  });
});
