import { describe, it, expect } from "vitest";
import { DEFAULT_LEVELS } from "./settings.ts";
import { levelsChange } from "./service.ts";
import { isCountyWide } from "./scope.ts";

describe("levelsChange", () => {
  it("tells a rename from a change of shape", () => {
    expect(levelsChange(DEFAULT_LEVELS, DEFAULT_LEVELS.map((l) => ({ ...l })))).toBe("none");
    expect(levelsChange(DEFAULT_LEVELS, DEFAULT_LEVELS.map((l, i) => (i === 2 ? { ...l, name: "基础网格" } : l)))).toBe("names");
    expect(levelsChange(DEFAULT_LEVELS, DEFAULT_LEVELS.map((l, i) => (i === 2 ? { ...l, segmentDigits: 4 } : l)))).toBe("structure");
    expect(levelsChange(DEFAULT_LEVELS, DEFAULT_LEVELS.map((l, i) => (i === 2 ? { ...l, key: "cell" } : l)))).toBe("structure");
    expect(levelsChange(DEFAULT_LEVELS, DEFAULT_LEVELS.slice(0, 3))).toBe("structure");
  });
});

describe("isCountyWide", () => {
  it("accepts the whole table and the county root's path, not a street's", () => {
    expect(isCountyWide("/")).toBe(true);
    expect(isCountyWide("/county-350206/")).toBe(true);
    expect(isCountyWide("/county-350206/street1/")).toBe(false);
  });
});
