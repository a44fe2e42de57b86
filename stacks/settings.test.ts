import { describe, it, expect } from "vitest";
import { consoleOrigins, functionAlarmScope, isEphemeralStage } from "./settings.ts";

describe("consoleOrigins", () => {
  it("allows any origin when WANGGE_CONSOLE_ORIGIN is unset or blank", () => {
    expect(consoleOrigins({})).toEqual(["*"]);
    expect(consoleOrigins({ WANGGE_CONSOLE_ORIGIN: " , " })).toEqual(["*"]);
  });

  it("splits a comma-separated list, trimming spaces and trailing slashes", () => {
    expect(consoleOrigins({ WANGGE_CONSOLE_ORIGIN: "https://a.example.cn/, https://b.example.cn" })).toEqual([
      "https://a.example.cn",
      "https://b.example.cn",
    ]);
  });
});

describe("isEphemeralStage", () => {
  it("treats dev, test and local as throw-away and every county stage as protected", () => {
    for (const s of ["dev", "test", "local"]) expect(isEphemeralStage(s)).toBe(true);
    for (const s of ["prod", "huli", "mouding", "county-a"]) expect(isEphemeralStage(s)).toBe(false);
  });
});

describe("functionAlarmScope", () => {
  it("watches the account's functions unless WANGGE_FUNCTION_ALARMS=function, and refuses anything else", () => {
    expect(functionAlarmScope({})).toBe("account");
    expect(functionAlarmScope({ WANGGE_FUNCTION_ALARMS: " " })).toBe("account");
    expect(functionAlarmScope({ WANGGE_FUNCTION_ALARMS: "account" })).toBe("account");
    expect(functionAlarmScope({ WANGGE_FUNCTION_ALARMS: "function" })).toBe("function");
    expect(() => functionAlarmScope({ WANGGE_FUNCTION_ALARMS: "none" })).toThrow(/function" or "account/);
  });
});
