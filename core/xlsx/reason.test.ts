import { describe, expect, it } from "vitest";
import { problemTable, type XlsxProblem } from "./messages.ts";
import { problemReason, problemReasonEn } from "./reason.ts";
import { SPECS } from "./spec-all.ts";

describe("a job's English reason without the Chinese table (problemReasonEn, issue #15)", () => {
  it("is problemReason(…, 'en') for every problem code, on every column of every list", () => {
    const codes = Object.keys(problemTable("en")) as XlsxProblem[];
    let n = 0;
    for (const spec of Object.values(SPECS)) {
      for (const col of [...spec.columns, undefined]) {
        for (const code of codes) {
          const p = { key: col?.key, code, params: { value: "x1", other: 7, missing: "a, b", max: 20000, message: "refused", hint: "a hint" } };
          expect(problemReasonEn(spec, p), `${spec.list} ${col?.key} ${code}`).toBe(problemReason(spec, p, "en"));
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(500);
    // the two languages stay apart: the English reason of an invalid value takes the check's hint, not the Chinese one
    expect(problemTable("zh").unknown_unit).toBe("没有编码为 %{value} 的在用单位");
    expect(problemTable("en").unknown_unit).toBe("No active unit has the code %{value}");
  });
});
