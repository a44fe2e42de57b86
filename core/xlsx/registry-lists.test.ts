import { describe, expect, it } from "vitest";
import { idCheckChar } from "../registry/idcard.ts";
import { problemReason } from "./lists.ts";
import { householdKey, PEOPLE, readHouseholdRows, readPersonRows, readSensitive } from "./registry-lists.ts";
import { readUnitRows, UNITS } from "./units-lists.ts";

const rows = (list: Array<Record<string, string>>, first = 3) => list.map((cells, i) => ({ line: first + i, cells }));
const id = (birth: string, seq: number) => {
  const first = `350206${birth}${String(seq).padStart(3, "0")}`;
  return first + idCheckChar(first);
};
const person = (over: Record<string, string>) => ({ id: "", name: "张三", idType: "", idNumber: "", gender: "", relationship: "", phone: "", unitCode: "350206001001001", householdAddress: "", householdId: "", tags: "", notes: "", ...over });

describe("Excel rows of the registry", () => {
  it("reads a personal cell as empty, an export's mask or a full checked value", () => {
    expect(readSensitive("", "id")).toEqual({ kind: "empty" });
    expect(readSensitive("**************123x", "id")).toEqual({ kind: "masked", value: "**************123X" });
    const good = id("19560302", 13);
    expect(readSensitive(` ${good.toLowerCase()} `, "id")).toEqual({ kind: "plain", value: good });
    expect(readSensitive(good.slice(0, 17) + (good.endsWith("0") ? "1" : "0"), "id")).toBe("invalid");
    expect(readSensitive("+86 139 1234 5678", "phone")).toEqual({ kind: "plain", value: "13912345678" });
    expect(readSensitive("*******5678", "phone")).toEqual({ kind: "masked", value: "*******5678" });
    expect(readSensitive("12345", "phone")).toBe("invalid");
  });

  it("reads people: lists by their Chinese names, a bad check digit and a duplicate named by their masks only, a mask never a new person", () => {
    const a = id("19560302", 13);
    const bad = a.slice(0, 17) + (a.endsWith("0") ? "1" : "0");
    const { people, problems } = readPersonRows(
      rows([
        person({ idNumber: a, gender: "男", relationship: "户主", tags: "老年人、党员", householdAddress: " 金山路 1 号 " }),
        person({ idNumber: bad }),
        person({ idNumber: a, name: "李四" }),
        person({ idNumber: "**************1234" }),
        person({ idNumber: id("19900101", 21), idType: "护照", gender: "不详" }),
      ]),
    );
    expect(people).toEqual([
      { line: 3, name: "张三", idNumber: { kind: "plain", value: a }, gender: "male", relationship: "head", phone: { kind: "empty" }, unitCode: "350206001001001", householdAddress: "金山路 1 号", tags: ["elderly", "party_member"] },
    ]);
    expect(problems.map((p) => [p.line, p.key, p.code])).toEqual([
      [4, "idNumber", "invalid"],
      [5, "idNumber", "duplicate_in_file"],
      [6, "idNumber", "masked_new"],
      [7, "idType", "invalid"],
      [7, "gender", "invalid"],
    ]);
    expect(JSON.stringify(problems)).not.toContain(a);
    expect(JSON.stringify(problems)).not.toContain(bad);
    expect(problems[1].params).toMatchObject({ value: `**************${a.slice(-4)}`, other: 3 });
    expect(problemReason(PEOPLE, problems[0], "zh")).toBe(`证件号码“**************${bad.slice(-4)}”无效：18 位居民身份证号码，校验位正确`);
  });

  it("reads households: one per unit and address (spaces ignored), classes by name, counts checked", () => {
    const base = { id: "", unitCode: "350206001001001", address: "", class: "", membersCount: "", contactName: "", contactPhone: "", needs: "", notes: "" };
    const { households, problems } = readHouseholdRows(
      rows([
        { ...base, address: "金山路 1 号", class: "重点户", membersCount: "3", needs: "助餐、助浴" },
        { ...base, address: "金山路1号" },
        { ...base, address: "金山路 2 号", membersCount: "120", class: "大户" },
      ]),
    );
    expect(households).toEqual([{ line: 3, unitCode: "350206001001001", address: "金山路 1 号", class: "key", membersCount: 3, contactPhone: { kind: "empty" }, needs: ["助餐", "助浴"] }]);
    expect(problems.map((p) => [p.line, p.key, p.code])).toEqual([
      [4, "id", "duplicate_in_file"],
      [5, "class", "invalid"],
      [5, "membersCount", "invalid"],
    ]);
    expect(householdKey("u1", "金山路 1 号")).toBe(householdKey("u1", "金山路1号"));
  });

  it("reads units: a code must extend its parent's, types by name; a unit code's hint is digits", () => {
    const { units, problems } = readUnitRows(
      rows([
        { code: "350206009", name: "新城街道", type: "街道/乡镇", level: "", parentCode: "350206", households: "", population: "5400" },
        { code: "350207001", name: "错位", type: "", level: "", parentCode: "350206", households: "", population: "" },
        { code: "35A", name: "坏码", type: "", level: "", parentCode: "350206", households: "", population: "" },
      ]),
    );
    expect(units).toEqual([{ line: 3, code: "350206009", name: "新城街道", type: "street", parentCode: "350206", population: 5400 }]);
    expect(problems.map((p) => [p.line, p.key, p.code])).toEqual([
      [4, "code", "invalid"],
      [5, "code", "invalid"],
      [5, "code", "invalid"],
    ]);
    expect(problemReason(UNITS, problems[1], "zh")).toBe("单位编码“35A”无效：6–24 位数字");
  });
});
