import { describe, it, expect } from "vitest";
import { rulesDiff } from "./diff.ts";
import { PRESET_RULES } from "./presets.ts";

describe("rulesDiff", () => {
  it("finds no change between equal rules, whatever the order of the five-color indicators", () => {
    const b = structuredClone(PRESET_RULES);
    b.fiveColor.indicators.reverse();
    expect(rulesDiff({ ...PRESET_RULES, version: 1 }, { ...b, version: 2 })).toEqual([]);
  });

  it("names a weight change by indicator key, a band threshold by position, and added and removed indicators", () => {
    const b = structuredClone(PRESET_RULES);
    b.fiveColor.indicators[0].weight = 30;
    b.fiveColor.bands[1].min = 65;
    b.fiveColor.indicators = b.fiveColor.indicators.filter((i) => i.key !== "validReportRate");
    b.fiveColor.indicators.push({ key: "police_incidents", weight: 5, max: 20 });
    b.department.volumeFullAt = 80;
    b.fiveColor.levels = ["grid"];
    expect(rulesDiff(PRESET_RULES, b)).toEqual([
      { path: "department.volumeFullAt", kind: "changed", from: 50, to: 80 },
      { path: "fiveColor.bands.1.min", kind: "changed", from: 60, to: 65 },
      { path: "fiveColor.indicators[onTimeCloseRate].weight", kind: "changed", from: 25, to: 30 },
      { path: "fiveColor.indicators[validReportRate]", kind: "removed", from: { key: "validReportRate", weight: 10 }, to: null },
      { path: "fiveColor.indicators[police_incidents]", kind: "added", from: null, to: { key: "police_incidents", weight: 5, max: 20 } },
      { path: "fiveColor.levels", kind: "changed", from: [], to: ["grid"] },
    ]);
  });
});
