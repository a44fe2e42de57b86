import { describe, expect, it } from "vitest";
import { choicesOf, importCsv, toggle, villageType, workingName, type CountyFile } from "./divisionsModel.ts";
import { loadDivisions } from "../../divisions/build.ts";

const file: CountyFile = {
  code: "350206",
  name: "湖里区",
  city: "厦门市",
  province: "福建省",
  source: "test",
  streets: [
    { code: "350206001", name: "湖里街道", villages: [["350206001001", "湖里社区居委会"], ["350206001002", "东渡社区居委会"]] },
    { code: "350206002", name: "殿前街道", villages: [["350206002201", "高林村委会"]] },
  ],
};

describe("official divisions in the first-run guide", () => {
  it("names units as counties call them, and tells villages from communities", () => {
    expect(workingName("湖里社区居委会")).toBe("湖里社区");
    expect(workingName("高林村委会")).toBe("高林村");
    expect(workingName("新村村民委员会")).toBe("新村村");
    expect(workingName("火炬高技术开发区")).toBe("火炬高技术开发区");
    expect(villageType("高林村委会")).toBe("rural");
    expect(villageType("湖里社区居委会")).toBe("community");
  });

  it("unticking a township unticks its villages; ticking a village ticks its township back", () => {
    let c = choicesOf(file, new Map());
    c = toggle(c, "350206001", false);
    expect(c.filter((x) => x.picked).map((x) => x.code)).toEqual(["350206002", "350206002201"]);
    c = toggle(c, "350206001002", true);
    expect(c.filter((x) => x.picked).map((x) => x.code)).toEqual(["350206001", "350206001002", "350206002", "350206002201"]);
  });

  it("writes the import file for what is picked and new or renamed, with official codes and parents", () => {
    const existing = new Map([["350206001", "湖里街道"], ["350206001001", "旧名社区"]]);
    const c = toggle(choicesOf(file, existing), "350206002", false);
    const { csv, rows } = importCsv(c);
    expect(rows).toBe(2);
    expect(csv).toBe("code,name,parent_code,level,type\n350206001001,湖里社区,350206001,community,community\n350206001002,东渡社区,350206001,community,community\n");
  });

  it("reads the whole national dataset: every county with its townships and villages", () => {
    const { index, counties } = loadDivisions();
    expect(index.provinces.length).toBe(31);
    expect(counties.size).toBeGreaterThan(2800);
    const huli = counties.get("350206")!;
    expect([huli.province, huli.city, huli.name]).toEqual(["福建省", "厦门市", "湖里区"]);
    expect(huli.streets.map((s) => s.name)).toContain("金山街道");
    for (const s of huli.streets) {
      expect(s.code.startsWith("350206") && s.code.length === 9).toBe(true);
      for (const [code] of s.villages) expect(code.startsWith(s.code) && code.length === 12).toBe(true);
    }
    const villages = [...counties.values()].reduce((n, c) => n + c.streets.reduce((m, s) => m + s.villages.length, 0), 0);
    expect(villages).toBeGreaterThan(600_000);
  });
});
