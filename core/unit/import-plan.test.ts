import { describe, it, expect } from "vitest";
import { DEFAULT_LEVELS, type Settings } from "../settings/settings.ts";
import { syntheticGrid } from "../geo/synthetic.ts";
import { readImportFile, type ImportRow } from "./import-parse.ts";
import { planImport, type UnitRef } from "./import-plan.ts";
import { toCsv, toGeoJson, type TreeRow } from "./export-format.ts";

const settings: Settings = {
  countyName: "示范区",
  countyCode: "350206",
  timeZone: "Asia/Shanghai",
  levels: DEFAULT_LEVELS,
  anonymousReports: false,
  defaultEvaluation: "satisfied",
  version: 1,
};
const root: UnitRef = { id: "R", code: "350206", parentId: null, path: "/R/", depth: 0, active: true };
const street: UnitRef = { id: "S", code: "350206001", parentId: "R", path: "/R/S/", depth: 1, active: true };
const existing = new Map([
  [root.code, root],
  [street.code, street],
]);
const [cellA, cellB] = syntheticGrid({ origin: [118.5, 24.6], cols: 2, rows: 1, cellMeters: 200 });

const rows = (csv: string): Promise<{ rows: ImportRow[]; errors: { line: number; reason: string }[] }> => readImportFile("csv", csv);
const HEADER = "code,name,parent_code,level,type,households,population,boundary\n";

describe("readImportFile", () => {
  it("reads the same rows from CSV (WKT) and GeoJSON written by the exporter", async () => {
    const tree: TreeRow[] = [
      { code: "350206001050", name: "新社区, 东\"区\"", parentCode: "350206001", level: "community", type: "community", boundary: cellA.boundary },
      { code: "350206001050001", name: "第1网格", parentCode: "350206001050", level: "grid", type: "park", households: 12, population: 30, boundary: cellB.boundary },
    ];
    const fromCsv = await readImportFile("csv", toCsv(tree));
    const fromGeo = await readImportFile("geojson", toGeoJson(tree));
    expect(fromCsv.errors).toEqual([]);
    expect(fromGeo.errors).toEqual([]);
    const strip = (r: ImportRow[]) => r.map(({ line: _l, ...x }) => x);
    expect(strip(fromCsv.rows)).toEqual(strip(fromGeo.rows));
    expect(fromCsv.rows[1]).toMatchObject({ line: 3, code: "350206001050001", households: 12, type: "park", boundary: cellB.boundary });
    expect(fromGeo.rows[1].line).toBe(2);
  });

  it("reports field errors with the record's line and keeps the good rows", async () => {
    const out = await rows(
      HEADER +
        "350206001050,好,350206001,,,,,\n" +
        "35020600105X,坏编码,350206001,,,,,\n" +
        '350206001051,"",350206001,,,,,\n' +
        "350206001052,类型,350206001,,castle,,,\n" +
        "350206001053,户数,350206001,,,-3,,\n" +
        "350206001054,开环,350206001,,,,,\"POLYGON ((0 0, 1 0, 1 1, 0 1))\"\n" +
        "350206001055,坏WKT,350206001,,,,,POLYGON ((0 0, 1 0\n",
    );
    expect(out.rows.map((r) => r.code)).toEqual(["350206001050"]);
    expect(out.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(out.errors[0].reason).toMatch(/^code:/);
    expect(out.errors[1].reason).toMatch(/^name: required/);
    expect(out.errors[2].reason).toMatch(/^type:/);
    expect(out.errors[3].reason).toMatch(/^households:/);
    expect(out.errors[4].reason).toMatch(/boundary.*closed/);
    expect(out.errors[5].reason).toMatch(/^boundary: Malformed WKT/);
  });

  it("refuses a CSV without the required header columns and a GeoJSON that is not a FeatureCollection", async () => {
    await expect(rows("id,title\n1,x\n")).rejects.toThrow(/missing: code, name, parent_code/);
    await expect(readImportFile("geojson", '{"type":"Feature"}')).rejects.toThrow(/FeatureCollection/);
    await expect(readImportFile("geojson", "{not json")).rejects.toThrow(/not valid JSON/);
  });
});

describe("planImport", () => {
  it("orders rows parents before children with their depth and level", async () => {
    const out = await rows(HEADER + "350206001050001,网格,350206001050,grid,,,,\n350206001050,社区,350206001,,,,,\n35020600105000101,微网格,350206001050001,微网格,,,,\n");
    const plan = planImport(out.rows, { settings, existing, scopes: ["/R/"] });
    expect(plan.errors).toEqual([]);
    expect(plan.rows.map((r) => [r.code, r.depth, r.level])).toEqual([
      ["350206001050", 2, "community"],
      ["350206001050001", 3, "grid"],
      ["35020600105000101", 4, "micro_grid"],
    ]);
  });

  it("rejects wrong codes, unknown parents, level mismatches and duplicates, and the children of rejected rows", async () => {
    const out = await rows(
      HEADER +
        "350206001060,社区,350206001,,,,,\n" + // 2 ok
        "350206001061,社区,350206001,grid,,,,\n" + // 3 level mismatch
        "350206001061001,网格,350206001061,,,,,\n" + // 4 parent rejected
        "35020600106,短,350206001,,,,,\n" + // 5 wrong width
        "350206001062001,网格,350206001062,,,,,\n" + // 6 parent unknown
        "350206001063,甲,350206001,,,,,\n" + // 7 duplicate
        "350206001063,乙,350206001,,,,,\n" + // 8 duplicate
        "350206001000,零,350206001,,,,,\n" + // 9 zero segment
        "350206002001,别处,350206001,,,,,\n" + // 10 not the parent's prefix
        "350206009,无上级,,,,,,\n", // 11 no parent code
    );
    const plan = planImport(out.rows, { settings, existing, scopes: ["/R/"] });
    expect(plan.rows.map((r) => r.code)).toEqual(["350206001060"]);
    const reason = (line: number) => plan.errors.find((e) => e.line === line)?.reason ?? "";
    expect(plan.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(reason(3)).toMatch(/level "grid" does not match/);
    expect(reason(4)).toMatch(/parent 350206001061 \(line 3\) is not imported/);
    expect(reason(5)).toMatch(/followed by 3 digits/);
    expect(reason(6)).toMatch(/parent 350206001062 not found/);
    expect(reason(7)).toMatch(/duplicate code 350206001063 in the file \(lines 7, 8\)/);
    expect(reason(9)).toMatch(/all zeros/);
    expect(reason(10)).toMatch(/must be the parent code/);
    expect(reason(11)).toMatch(/parent code is required/);
  });

  it("rejects rows outside the caller's scope and new children of an inactive parent", async () => {
    const inactive: UnitRef = { id: "S2", code: "350206002", parentId: "R", path: "/R/S2/", depth: 1, active: false };
    const ex = new Map([...existing, [inactive.code, inactive]]);
    const out = await rows(HEADER + "350206001070,社区,350206001,,,,,\n350206002070,社区,350206002,,,,,\n");
    const mine = planImport(out.rows, { settings, existing: ex, scopes: ["/R/S2/"] });
    expect(mine.errors.map((e) => e.reason)).toEqual(["outside your part of the hierarchy", "parent 350206002 is inactive"]);
  });

  it("accepts a row for an existing unit under the same parent (an update), and the county root", async () => {
    const community: UnitRef = { id: "C", code: "350206001080", parentId: "S", path: "/R/S/C/", depth: 2, active: true };
    const ex = new Map([...existing, [community.code, community]]);
    const out = await rows(HEADER + "350206,示范区,,county,county,,,\n350206001080,改名,350206001,,,,,\n");
    const plan = planImport(out.rows, { settings, existing: ex, scopes: ["/R/"] });
    expect(plan.errors).toEqual([]);
    expect(plan.rows.map((r) => [r.code, r.depth])).toEqual([["350206", 0], ["350206001080", 2]]);
  });
});
