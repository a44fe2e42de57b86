import type { Duration } from "../calendar/schema.ts";
import type { DeadlineStage } from "../case/schema.ts";

/**
 * The standard category catalogue a new county starts from (docs/setup.md, "Categories").
 *
 * Classes 01–05 follow the event classes of GB/T 30428.2《数字化城市管理信息系统 第2部分：管理部件和事件》
 * (市容环境, 宣传广告, 施工管理, 突发事件, 街面秩序) with two-digit class and four-digit subclass codes in the
 * standard's pattern; the subclass lists are the common ones, not a copy of the standard's tables — a
 * county checks them against its own urban-management catalogue and adjusts before applying.
 * Classes 21–25 are the usual social-governance classes of grid work (矛盾纠纷, 安全隐患, 民生服务,
 * 社会治安, 生态环境), numbered above the standard's range so the two never collide.
 *
 * Deadlines are defaults of the class (children inherit them); unset stages use the county's.
 */
export interface CatalogueClass {
  code: string;
  name: string;
  isDispute?: boolean;
  police?: boolean;
  urgent?: boolean;
  deadlines: Partial<Record<DeadlineStage, Duration>>;
  children: { code: string; name: string }[];
}

const wh = (amount: number): Duration => ({ amount, unit: "working_hours" });
const ch = (amount: number): Duration => ({ amount, unit: "calendar_hours" });
const wd = (amount: number): Duration => ({ amount, unit: "working_days" });

const sub = (code: string, names: string[]) => names.map((name, i) => ({ code: `${code}${String(i + 1).padStart(2, "0")}`, name }));

export const CATALOGUE: readonly CatalogueClass[] = [
  {
    code: "01",
    name: "市容环境",
    deadlines: { accept: wh(1), dispatch: wh(1), handle: wd(1), verify: wh(4) },
    children: sub("01", ["私搭乱建", "暴露垃圾", "积存垃圾渣土", "道路不洁", "水域不洁", "绿地脏乱", "废弃家具设备", "焚烧垃圾树叶", "餐饮油烟", "动物尸体"]),
  },
  {
    code: "02",
    name: "宣传广告",
    deadlines: { accept: wh(1), dispatch: wh(1), handle: wd(2), verify: wh(4) },
    children: sub("02", ["非法小广告", "违规户外广告", "街头散发广告", "广告牌匾破损"]),
  },
  {
    code: "03",
    name: "施工管理",
    deadlines: { accept: wh(1), dispatch: wh(1), handle: wd(1), verify: wh(4) },
    children: sub("03", ["施工扰民", "工地扬尘", "道路遗撒", "施工废弃料", "施工占道", "无证掘路"]),
  },
  {
    code: "04",
    name: "突发事件",
    urgent: true,
    deadlines: { accept: ch(0.5), dispatch: ch(0.5), handle: ch(4), verify: ch(2) },
    children: sub("04", ["路面塌陷", "供水管道破裂", "燃气管道破裂", "下水道堵塞或破损", "道路积水", "道路积雪结冰", "架空线缆损坏", "井盖缺失"]),
  },
  {
    code: "05",
    name: "街面秩序",
    deadlines: { accept: wh(1), dispatch: wh(1), handle: wh(4), verify: wh(4) },
    children: sub("05", ["无照经营游商", "占道经营", "店外经营", "机动车乱停放", "非机动车乱停放", "流浪乞讨", "露天烧烤", "占道废品收购"]),
  },
  {
    code: "21",
    name: "矛盾纠纷",
    isDispute: true,
    deadlines: { accept: wh(2), handle: wd(5), verify: wd(1) },
    children: sub("21", ["邻里纠纷", "婚姻家庭纠纷", "物业纠纷", "劳资纠纷", "土地山林纠纷", "消费纠纷"]),
  },
  {
    code: "22",
    name: "安全隐患",
    deadlines: { accept: wh(1), dispatch: wh(1), handle: wd(2), verify: wh(8) },
    children: sub("22", ["消防安全隐患", "燃气安全隐患", "房屋安全隐患", "电动自行车违规充电", "危险化学品隐患", "地质灾害隐患"]),
  },
  {
    code: "23",
    name: "民生服务",
    deadlines: { accept: wh(4), dispatch: wh(4), handle: wd(5), verify: wd(1) },
    children: sub("23", ["供水供电供气", "养老助残", "就业社保", "医疗卫生", "教育入学", "困难群众救助"]),
  },
  {
    code: "24",
    name: "社会治安",
    police: true,
    deadlines: { accept: wh(1), dispatch: wh(1), handle: wd(1), verify: wh(8) },
    children: sub("24", ["治安隐患", "可疑人员物品", "电信网络诈骗线索", "涉赌涉毒线索"]),
  },
  {
    code: "25",
    name: "生态环境",
    deadlines: { accept: wh(2), dispatch: wh(2), handle: wd(3), verify: wd(1) },
    children: sub("25", ["水体污染", "大气污染", "噪声污染", "固体废物倾倒", "秸秆焚烧"]),
  },
];
