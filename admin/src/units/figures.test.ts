import { describe, it, expect } from "vitest";
import { colorFor, NO_FIGURES_COLOR, scaleSteps, SCALE_COLORS } from "./figures.ts";

describe("the map's colour scale", () => {
  it("is green only when nothing is open", () => {
    expect(scaleSteps(0)).toEqual([{ color: SCALE_COLORS[0], from: 0, to: 0 }]);
  });
  it("cuts 1..max into three ranges that cover every value once", () => {
    const steps = scaleSteps(10);
    expect(steps.map((s) => [s.from, s.to])).toEqual([[0, 0], [1, 4], [5, 8], [9, 10]]);
    for (let v = 0; v <= 10; v++) expect(steps.filter((s) => v >= s.from && v <= s.to)).toHaveLength(1);
    expect(colorFor(10, steps)).toBe(SCALE_COLORS[3]);
    expect(colorFor(1, steps)).toBe(SCALE_COLORS[1]);
  });
  it("has fewer steps when the largest figure is small, and grey for units without figures", () => {
    expect(scaleSteps(2).map((s) => [s.from, s.to])).toEqual([[0, 0], [1, 1], [2, 2]]);
    expect(colorFor(undefined, scaleSteps(2))).toBe(NO_FIGURES_COLOR);
  });
});
