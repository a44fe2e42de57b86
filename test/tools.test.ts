import { describe, expect, it, vi } from "vitest";
import { requireTool } from "./tools.ts";

describe("requireTool", () => {
  it("fails under CI=true when the tool is missing, instead of skipping", () => {
    expect(() => requireTool("zbarimg", false, "apt-get install zbar-tools", { CI: "true" })).toThrow(/required under CI=true/);
  });
  it("skips with a warning outside CI and passes when present", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(requireTool("zbarimg", false, "apt-get install zbar-tools", {})).toBe(false);
    expect(warn).toHaveBeenCalledOnce();
    expect(requireTool("zbarimg", true, "", { CI: "true" })).toBe(true);
    warn.mockRestore();
  });
});
