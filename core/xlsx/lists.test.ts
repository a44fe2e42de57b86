import { describe, expect, it } from "vitest";
import { cellText, columnLetter } from "./book.ts";
import { DEPARTMENTS, durationText, problemReason, readActive, readCategoryRows, readDepartmentRows, readDuration, readRole, readStaffRows, splitCodes, STAGES } from "./lists.ts";
import { DeadlineStage } from "../case/schema.ts";

const rows = (list: Array<Record<string, string>>, first = 3) => list.map((cells, i) => ({ line: first + i, cells }));

describe("Excel cells", () => {
  it("reads cells as a person sees them: integers without exponent, rich text joined, formulas by their result", () => {
    expect(cellText(13800000000)).toBe("13800000000");
    expect(cellText(350206001001001)).toBe("350206001001001");
    expect(cellText(2.5)).toBe("2.5");
    expect(cellText({ richText: [{ text: "网格" }, { text: "员 " }] } as never)).toBe("网格员");
    expect(cellText({ formula: "A1", result: "CGJ" } as never)).toBe("CGJ");
    expect(cellText(null)).toBe("");
  });

  it("names columns as Excel does", () => {
    expect([1, 8, 26, 27, 52, 703].map(columnLetter)).toEqual(["A", "H", "Z", "AA", "AZ", "AAA"]);
  });

  it("reads roles by Chinese name or key, statuses, code lists and deadlines", () => {
    expect(readRole("网格员")).toBe("grid_worker");
    expect(readRole("grid_leader")).toBe("grid_leader");
    expect(readRole("队长")).toBeUndefined();
    expect([readActive("启用"), readActive("停用"), readActive(""), readActive("也许")]).toEqual([true, false, undefined, "invalid"]);
    expect(splitCodes("CGJ、SWJ, GAJ；HBJ  ZJJ")).toEqual(["CGJ", "SWJ", "GAJ", "HBJ", "ZJJ"]);
    expect(readDuration("2工作小时")).toEqual({ amount: 2, unit: "working_hours" });
    expect(readDuration("24小时")).toEqual({ amount: 24, unit: "calendar_hours" });
    expect(readDuration("5 工作日")).toEqual({ amount: 5, unit: "working_days" });
    expect(readDuration("3天")).toEqual({ amount: 3, unit: "calendar_days" });
    expect(readDuration("1.5工作日")).toBe("invalid");
    expect(readDuration("3周")).toBe("invalid");
    for (const d of [{ amount: 2, unit: "working_hours" }, { amount: 24, unit: "calendar_hours" }, { amount: 5, unit: "working_days" }, { amount: 3, unit: "calendar_days" }] as const) {
      expect(readDuration(durationText(d))).toEqual(d);
    }
  });
});

describe("Excel problems", () => {
  it("says what a valid value looks like in the reader's language", () => {
    const p = { key: "contactPhone", code: "invalid" as const, params: { field: "contactPhone", value: "abc", hint: "a phone number" } };
    expect(problemReason(DEPARTMENTS, p, "zh")).toBe("联系电话“abc”无效：手机或座机号码，如 0592-1234567");
    expect(problemReason(DEPARTMENTS, p, "en")).toBe("Contact phone “abc” is not valid: a phone number");
  });
});

describe("Excel rows", () => {
  it("merges the rows of one username into an account with its roles", () => {
    const { accounts, problems } = readStaffRows(
      rows([
        { username: "a.li", displayName: "李", phone: "13900000001", role: "网格员", unitCode: "1", departmentCode: "", active: "", password: "0123456789" },
        { username: "A.LI", displayName: "", phone: "", role: "网格长", unitCode: "2", departmentCode: "", active: "", password: "" },
      ]),
    );
    expect(problems).toEqual([]);
    expect(accounts).toEqual([
      { lines: [3, 4], username: "a.li", displayName: "李", phone: "13900000001", password: "0123456789", assignments: [{ line: 3, role: "grid_worker", unitCode: "1" }, { line: 4, role: "grid_leader", unitCode: "2" }] },
    ]);
  });

  it("rejects every row of an account when one of them is wrong, naming the wrong one", () => {
    const { accounts, problems } = readStaffRows(
      rows([
        { username: "b.wu", displayName: "吴", role: "网格员", unitCode: "1" },
        { username: "b.wu", displayName: "武", role: "职能部门人员", unitCode: "1" },
      ]),
    );
    expect(accounts).toEqual([]);
    expect(problems.map((p) => [p.line, p.key, p.code])).toEqual([
      [4, "displayName", "rows_disagree"],
      [4, "departmentCode", "required"],
      [3, undefined, "other_row"],
    ]);
  });

  it("reads departments, refusing bad codes, missing contacts and a code given twice", () => {
    const { departments, problems } = readDepartmentRows(
      rows([
        { code: "cgj", name: "城管局", contactName: "王", contactPhone: "0592-1234567", unitCodes: "350206001、350206002", active: "停用" },
        { code: "坏", name: "x", contactName: "赵" },
        { code: "CGJ", name: "重复", contactName: "钱" },
        { code: "SWJ", name: "水务局", contactName: "" },
      ]),
    );
    expect(departments).toEqual([{ line: 3, code: "CGJ", name: "城管局", contact: { name: "王", phone: "0592-1234567" }, unitCodes: ["350206001", "350206002"], active: false }]);
    expect(problems.map((p) => [p.line, p.key, p.code])).toEqual([
      [4, "code", "invalid"],
      [5, "code", "duplicate_in_file"],
      [6, "contactName", "required"],
    ]);
  });

  it("reads categories with empty cells left undefined (inherit or default)", () => {
    const { categories, problems } = readCategoryRows(rows([{ code: "0101", name: "暴露垃圾", parentCode: "01", isDispute: "", police: "否", urgent: "", claimWindow: "", departmentCodes: "cgj、SWJ", accept: "", handle: "3工作日", active: "" }]));
    expect(problems).toEqual([]);
    expect(categories).toEqual([{ line: 3, code: "0101", name: "暴露垃圾", parentCode: "01", police: false, departmentCodes: ["CGJ", "SWJ"], deadlines: { handle: { amount: 3, unit: "working_days" } } }]);
  });
});

describe("the categories sheet's deadline columns", () => {
  it("spells the deadline stages as the case schema has them, in its order (core/xlsx/spec-categories.ts keeps the schema out of the template)", () => {
    expect([...STAGES]).toEqual([...DeadlineStage.options]);
  });
});
