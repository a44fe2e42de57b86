/** The registry's sheets (住户, 人员: the people's workbook holds their households too); readers in core/xlsx/registry-lists.ts. */
import type * as z from "zod/mini";
import type { Gender, HouseholdClass, PersonTag, Relationship } from "../registry/schema.ts";
import type { ListSpec } from "./specs.ts";

export const CLASS_ZH: Record<HouseholdClass, string> = { key: "重点户", monitored: "关注户", general: "一般户" };
export const GENDER_ZH: Record<z.infer<typeof Gender>, string> = { male: "男", female: "女" };
export const RELATIONSHIP_ZH: Record<Relationship, string> = {
  head: "户主",
  spouse: "配偶",
  child: "子女",
  parent: "父母",
  grandchild: "孙子女",
  grandparent: "祖父母",
  sibling: "兄弟姐妹",
  child_in_law: "儿媳/女婿",
  other: "其他",
};
export const TAG_ZH: Record<z.infer<typeof PersonTag>, string> = {
  elderly_alone: "独居老人",
  elderly: "老年人",
  disabled: "残疾人",
  youth_attention: "重点青少年",
  left_behind_child: "留守儿童",
  migrant: "流动人口",
  party_member: "党员",
  volunteer: "志愿者",
  veteran: "退役军人",
  low_income: "低收入",
  special_care: "特殊关爱对象",
  community_correction: "社区矫正对象",
  other: "其他",
};
/** The one identity document the registry holds (GB 11643 resident ID numbers). */
export const ID_TYPES = ["居民身份证"];

export const ID_HELP = "系统编号：导出时填写，再次导入时按它对应记录；新记录留空，不要修改";

export const HOUSEHOLDS: ListSpec = {
  list: "households",
  sheet: "住户",
  keyColumn: "id",
  columns: [
    { key: "id", zh: "系统编号", en: "Record id", text: true, width: 28, help: ID_HELP },
    { key: "unitCode", zh: "单位编码", en: "Unit code", required: true, text: true, width: 18, help: "户所在网格或微网格的编码（下拉列表为您可以登记的单位）" },
    { key: "address", zh: "住址", en: "Address", required: true, width: 28, help: "同一单位内每户住址不同：没有系统编号时按“单位编码 + 住址”对应已有的户；人员表按它找到所属的户" },
    { key: "class", zh: "户类别", en: "Class", width: 10, list: Object.values(CLASS_ZH), help: "重点户、关注户或一般户；空为一般户" },
    { key: "membersCount", zh: "户人数", en: "Members", width: 8, help: "0–99 的整数；空为 0" },
    { key: "contactName", zh: "联系人", en: "Contact", width: 12 },
    { key: "contactPhone", zh: "联系电话", en: "Contact phone", text: true, width: 16, help: "手机或座机；导出为掩码，原样保留表示不变，填写完整号码表示修改" },
    { key: "needs", zh: "需求", en: "Needs", width: 20, help: "多项用顿号分隔" },
    { key: "notes", zh: "备注", en: "Notes", width: 24 },
  ],
  example: { id: "", unitCode: "350206001001001", address: "金山路 1 号 101 室（示例）", class: "一般户", membersCount: "3", contactName: "王芳", contactPhone: "13800000000", needs: "", notes: "" },
  notes: [
    "每行一户。再次上传同一文件不会重复创建：有系统编号的行按系统编号更新，没有的按“单位编码 + 住址”对应已有的户。",
    "只能登记到您负责的单位（单位编码下拉列表）；其它单位的行会被拒绝并标出行号。",
    "联系电话导出时为掩码：原样保留表示不变，填写完整号码表示修改，清空表示删除。",
  ],
};

export const PEOPLE: ListSpec = {
  list: "people",
  sheet: "人员",
  keyColumn: "idNumber",
  columns: [
    { key: "id", zh: "系统编号", en: "Record id", text: true, width: 28, help: ID_HELP },
    { key: "name", zh: "姓名", en: "Name", required: true, width: 10 },
    { key: "idType", zh: "证件类型", en: "ID type", width: 12, list: ID_TYPES, help: "目前只登记居民身份证；空为居民身份证" },
    { key: "idNumber", zh: "证件号码", en: "ID number", required: true, text: true, width: 22, help: "18 位居民身份证号码（校验位正确）；导出为掩码，原样保留表示不变" },
    { key: "gender", zh: "性别", en: "Gender", width: 6, list: Object.values(GENDER_ZH), help: "可空：按身份证号码；填写时须与号码一致" },
    { key: "relationship", zh: "与户主关系", en: "Relationship", width: 12, list: Object.values(RELATIONSHIP_ZH) },
    { key: "phone", zh: "手机号", en: "Phone", text: true, width: 14, help: "导出为掩码：原样保留表示不变，填写完整号码表示修改，清空表示删除" },
    { key: "unitCode", zh: "单位编码", en: "Unit code", required: true, text: true, width: 18, help: "所在网格或微网格的编码（下拉列表为您可以登记的单位）；有户时为户所在的单位" },
    { key: "householdAddress", zh: "户住址", en: "Household address", width: 28, help: "所属户的住址（本文件“住户”表中或系统中同一单位的户）；空为不属于任何户" },
    { key: "householdId", zh: "户系统编号", en: "Household id", text: true, width: 28, help: "所属户的系统编号（导出时填写）；填写时优先于户住址" },
    { key: "tags", zh: "标签", en: "Tags", width: 18, help: `多项用顿号分隔：${Object.values(TAG_ZH).join("、")}` },
    { key: "notes", zh: "备注", en: "Notes", width: 24 },
  ],
  example: { id: "", name: "王芳（示例）", idType: "居民身份证", idNumber: "11010519491231002X", gender: "女", relationship: "户主", phone: "13800000000", unitCode: "350206001001001", householdAddress: "金山路 1 号 101 室（示例）", householdId: "", tags: "老年人", notes: "" },
  notes: [
    "每行一人。再次上传同一文件不会重复创建：有系统编号的行按系统编号更新，没有的按证件号码在您负责的范围内对应已有的人。",
    "证件号码和手机号导出时为掩码（与列表显示相同）：原样保留表示不变；新登记的人须填写完整的证件号码。",
    "所属户：填写户住址（同一单位），可以是本文件“住户”表中新登记的户；或填写户系统编号。",
    "只能登记到您负责的单位；已在其它地方登记的证件号码不能在这里登记（与逐个登记相同）。",
  ],
};


/** The sheets of each registry workbook, in order (a member may name a household of the same file). */
export const HOUSEHOLDS_BOOK: ListSpec[] = [HOUSEHOLDS];
export const PEOPLE_BOOK: ListSpec[] = [HOUSEHOLDS, PEOPLE];
