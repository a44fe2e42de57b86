/** The unit tree's sheet (单位). */
import type { UnitType } from "../unit/schema.ts";
import type { ListSpec } from "./specs.ts";

export const UNIT_TYPE_ZH: Record<UnitType, string> = {
  county: "县/区",
  street: "街道/乡镇",
  community: "社区/村",
  residential: "小区网格",
  village_to_residential: "村改居网格",
  park: "园区网格",
  mixed: "混合网格",
  venue: "行业场所网格",
  rural: "农村网格",
  other: "其他",
};
export const UNITS: ListSpec = {
  list: "units",
  sheet: "单位",
  keyColumn: "code",
  columns: [
    { key: "code", zh: "单位编码", en: "Code", required: true, text: true, width: 18, help: "上级编码 + 本级段（位数见系统设置的层级）；县内唯一；再次导入按编码更新" },
    { key: "name", zh: "名称", en: "Name", required: true, width: 20 },
    { key: "type", zh: "类型", en: "Type", width: 12, list: Object.values(UNIT_TYPE_ZH), help: "空为按层级的默认类型" },
    { key: "level", zh: "层级", en: "Level", width: 10, help: "导出时填写（按编码位置），导入时不读" },
    { key: "parentCode", zh: "上级编码", en: "Parent code", text: true, width: 18, help: "上级单位的编码（本文件中或系统中已有）；只有县本身为空" },
    { key: "households", zh: "户数", en: "Households", width: 8, help: "统计数，可空" },
    { key: "population", zh: "人口", en: "Population", width: 8, help: "统计数，可空" },
  ],
  example: { code: "350206001099", name: "示例社区", type: "社区/村", level: "", parentCode: "350206001", households: "", population: "" },
  notes: [
    "每行一个单位；上级可以是本文件中的单位（写在哪一行都可以）。边界不在表中：用 GeoJSON、CSV 或 Shapefile 导入。",
    "再次上传同一文件不会重复创建：按编码更新名称、类型和统计数；上级不同的行会被拒绝（移动单位请在单位页面操作）。",
  ],
};

