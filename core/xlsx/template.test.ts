import { describe, it, expect, vi, afterEach } from "vitest";
import { byCode } from "./template.ts";

/**
 * The templates' unit-code dropdowns in localeCompare order without the ICU collator (#15: a
 * process's first localeCompare loads it, ~5-10 ms of the excel area's first template).
 */
describe("byCode", () => {
  afterEach(() => vi.restoreAllMocks());

  it("orders digit codes as localeCompare does, without calling it", () => {
    const codes = ["350206001001001", "350206", "350206001", "350206000999", "35020600100", "350206001001010", "350206001000999", "3502060010", "000001", "999999999999999999999999"];
    for (let i = 0; i < 200; i++) codes.push(String(Math.floor(Math.random() * 1e9)).padStart(6 + (i % 10), "0"));
    const expected = [...codes].sort((a, b) => a.localeCompare(b));
    const spy = vi.spyOn(String.prototype, "localeCompare");
    const sorted = [...codes].sort(byCode);
    expect(spy).not.toHaveBeenCalled();
    expect(sorted).toEqual(expected);
  });

  it("falls back to localeCompare for any other code", () => {
    const codes = ["b-2", "350206", "a-1", "B-1", "350206001"];
    const expected = [...codes].sort((a, b) => a.localeCompare(b));
    const spy = vi.spyOn(String.prototype, "localeCompare");
    expect(codes.sort(byCode)).toEqual(expected);
    expect(spy).toHaveBeenCalled();
  });
});
