/**
 * The three lists counties keep in Excel, as sheets (pure): their columns (Chinese name, machine
 * key, required, validation list, help), the example row of the template, and the reading of a
 * filled row into what the services take. Templates, exports and imports share one layout, so an
 * export can be edited and imported again.
 */
import * as z from "zod/mini";
import { Duration, type DurationUnit } from "../calendar/schema.ts";
import { DeadlineStage } from "../case/schema.ts";
import { CategoryCode } from "../category/schema.ts";
import { Contact, DepartmentCode } from "../department/schema.ts";
import { RoleName } from "../auth/roles.ts";
import { Password, Phone, Username } from "../user/schema.ts";
import { Gender, HouseholdClass, PersonTag, Relationship } from "../registry/schema.ts";
import type { UnitType } from "../unit/schema.ts";
import { problemText, type XlsxProblem } from "./messages.ts";
import "../zod-en.ts";

export const XlsxList = z.enum(["staff", "departments", "categories", "households", "people", "units"]);
export type XlsxList = z.infer<typeof XlsxList>;

export interface Column {
  key: string;
  zh: string;
  en: string;
  required?: boolean;
  /** stored as text (codes with leading zeros, phone numbers) */
  text?: boolean;
  width?: number;
  /** a data validation list (Chinese values) */
  list?: string[];
  help?: string;
  /** other header names read as this column */
  aliases?: string[];
}

export interface ListSpec {
  list: XlsxList;
  sheet: string;
  /** the column whose value identifies a record (re-imports update it) */
  keyColumn: string;
  columns: Column[];
  example: Record<string, string>;
  notes: string[];
}

export const ROLE_ZH: Record<RoleName, string> = {
  county_admin: "县级管理员",
  dispatcher: "指挥中心调度员",
  supervisor: "效能督办员",
  street_staff: "街道/乡镇工作人员",
  community_staff: "社区/村工作人员",
  grid_leader: "网格长",
  grid_worker: "网格员",
  grid_instructor: "网格指导员",
  department_staff: "职能部门人员",
  auditor: "审计员",
};

const ACTIVE = ["启用", "停用"];
const YES_NO = ["是", "否"];
const LIST_SEPARATORS = /[,，、;；\s]+/;

export const STAFF: ListSpec = {
  list: "staff",
  sheet: "人员",
  keyColumn: "username",
  columns: [
    { key: "username", zh: "用户名", en: "Username", required: true, text: true, width: 16, help: "登录名：字母、数字、_ . -，2–64 位；同一人有多个角色时每个角色一行，用户名相同。再次导入按用户名更新。" },
    { key: "displayName", zh: "姓名", en: "Name", required: true, width: 12 },
    { key: "phone", zh: "手机号", en: "Mobile", text: true, width: 14, help: "11 位手机号，可空" },
    { key: "role", zh: "角色", en: "Role", required: true, width: 18, list: Object.values(ROLE_ZH), help: "从下拉列表选择（也接受英文角色键，如 grid_worker）" },
    { key: "unitCode", zh: "单位编码", en: "Unit code", required: true, text: true, width: 18, help: "角色所在单位的编码（县、乡镇街道、村社区、网格、微网格）" },
    { key: "departmentCode", zh: "部门编码", en: "Department code", text: true, width: 12, help: "职能部门人员必填：所属部门的编码" },
    { key: "active", zh: "状态", en: "Status", width: 8, list: ACTIVE, help: "启用或停用；空为启用（已有账号保持不变）" },
    { key: "password", zh: "初始密码", en: "Initial password", text: true, width: 16, help: "建议留空：新账号将得到一次性激活码（导入后下载激活码表），本人首次登录时自设密码。填写则至少 10 位；已有账号不会被改密码；导出时为空" },
  ],
  example: { username: "example.zhangwei", displayName: "张伟（示例）", phone: "13800000000", role: "网格员", unitCode: "350206001001001", departmentCode: "", active: "启用", password: "" },
  notes: [
    "每行一个角色：同一用户名的多行合为一个账号（姓名、手机号、状态以第一行为准，其它行可空）。",
    "再次上传同一文件不会重复创建：按用户名更新姓名、手机号、状态和角色，不改已有账号的密码。",
    "先导入职能部门，再导入人员（职能部门人员需要部门编码）。",
  ],
};

export const DEPARTMENTS: ListSpec = {
  list: "departments",
  sheet: "职能部门",
  keyColumn: "code",
  columns: [
    { key: "code", zh: "部门编码", en: "Code", required: true, text: true, width: 12, help: "字母、数字、_ 或 -，最多 32 位，县内唯一；再次导入按编码更新" },
    { key: "name", zh: "部门名称", en: "Name", required: true, width: 20 },
    { key: "contactName", zh: "联系人", en: "Contact", required: true, width: 12, aliases: ["contact.name"] },
    { key: "contactPhone", zh: "联系电话", en: "Contact phone", text: true, width: 16, aliases: ["contact.phone"], help: "手机或座机（如 0592-1234567）" },
    { key: "unitCodes", zh: "服务单位编码", en: "Units served", text: true, width: 30, help: "多个编码用顿号、逗号或空格分隔；可空" },
    { key: "active", zh: "状态", en: "Status", width: 8, list: ACTIVE, help: "启用或停用；空为启用（已有部门保持不变）" },
  ],
  example: { code: "CGJ", name: "城市管理局（示例）", contactName: "李明", contactPhone: "0592-1234567", unitCodes: "", active: "启用" },
  notes: ["再次上传同一文件不会重复创建：按部门编码更新。", "先导入职能部门，再导入事件分类和人员。"],
};

const STAGE_ZH: Record<DeadlineStage, string> = { accept: "受理时限", claim: "认领时限", dispatch: "派遣时限", handle: "处置时限", verify: "核查时限", evaluate: "评价时限" };
const STAGE_EN: Record<DeadlineStage, string> = { accept: "Accept within", claim: "Claim within", dispatch: "Dispatch within", handle: "Handle within", verify: "Verify within", evaluate: "Evaluate within" };
export const STAGES = DeadlineStage.options;

export const CATEGORIES: ListSpec = {
  list: "categories",
  sheet: "事件分类",
  keyColumn: "code",
  columns: [
    { key: "code", zh: "分类编码", en: "Code", required: true, text: true, width: 10, help: "字母、数字、. _ -，最多 32 位，县内唯一；再次导入按编码更新" },
    { key: "name", zh: "分类名称", en: "Name", required: true, width: 18 },
    { key: "parentCode", zh: "上级分类编码", en: "Parent code", text: true, width: 12, help: "子分类填大类的编码；大类留空。分类只有两级" },
    { key: "isDispute", zh: "矛盾纠纷", en: "Dispute", width: 9, list: YES_NO, help: "是/否；子分类留空则继承大类" },
    { key: "police", zh: "涉警", en: "Police", width: 7, list: YES_NO },
    { key: "urgent", zh: "紧急", en: "Urgent", width: 7, list: YES_NO },
    { key: "claimWindow", zh: "部门抢单", en: "Claim window", width: 9, list: YES_NO },
    { key: "departmentCodes", zh: "责任部门编码", en: "Departments", text: true, width: 18, help: "多个用顿号分隔，第一个为主责部门；子分类留空则继承" },
    ...STAGES.map((s): Column => ({ key: s, zh: STAGE_ZH[s], en: STAGE_EN[s], width: 10, help: "如 2工作小时、24小时、5工作日、3天；留空用上级或县默认" })),
    { key: "active", zh: "状态", en: "Status", width: 8, list: ACTIVE },
  ],
  example: { code: "99", name: "示例大类", parentCode: "", isDispute: "否", police: "否", urgent: "否", claimWindow: "是", departmentCodes: "", accept: "2工作小时", claim: "", dispatch: "", handle: "5工作日", verify: "", evaluate: "", active: "启用" },
  notes: [
    "先填大类（上级分类编码为空），再填其子分类；同一文件里大类写在哪一行都可以。",
    "时限单位：工作小时、小时（自然小时）、工作日、天（自然日）。",
    "按街道的责任部门（分街道设置）不在表中，导入不会改动它。",
    "再次上传同一文件不会重复创建：按分类编码更新。",
  ],
};

// ---- the registry (households, people) and the unit tree: readers in core/xlsx/registry-lists.ts ----

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
/** The one identity document the registry holds (GB 11643 resident ID numbers). */
export const ID_TYPES = ["居民身份证"];

const ID_HELP = "系统编号：导出时填写，再次导入时按它对应记录；新记录留空，不要修改";

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

/** The main sheet of each list (its problems' column names). */
export const SPECS: Record<XlsxList, ListSpec> = { staff: STAFF, departments: DEPARTMENTS, categories: CATEGORIES, households: HOUSEHOLDS, people: PEOPLE, units: UNITS };

/** The sheets of each list's workbook, in order: the people's workbook holds their households too (a member may name a household of the same file). */
export const BOOKS: Record<XlsxList, ListSpec[]> = { staff: [STAFF], departments: [DEPARTMENTS], categories: [CATEGORIES], households: [HOUSEHOLDS], people: [HOUSEHOLDS, PEOPLE], units: [UNITS] };

/** One rejected cell or row: its Excel row, the column key, a problem code with parameters. */
export interface RowProblem {
  line: number;
  /** the sheet, in a workbook of several sheets (households and people) */
  sheet?: string;
  key?: string;
  code: XlsxProblem;
  params?: Record<string, string | number>;
}

/** The problem's text in a language (the column's Chinese or English name as `field`). */
export function problemReason(spec: ListSpec, p: Pick<RowProblem, "key" | "code" | "params">, lang: "zh" | "en"): string {
  const col = spec.columns.find((c) => c.key === (p.params?.field ?? p.key));
  return problemText(p.code, { ...p.params, key: col?.key ?? "", field: col ? (lang === "zh" ? col.zh : col.en) : String(p.params?.field ?? "") }, lang, spec.list);
}

// ---- cell readers ----------------------------------------------------------------------------

export function readActive(v: string): boolean | undefined | "invalid" {
  const t = v.trim().toLowerCase();
  if (!t) return undefined;
  if (["启用", "在用", "是", "true", "yes", "y", "1", "active"].includes(t)) return true;
  if (["停用", "禁用", "否", "false", "no", "n", "0", "inactive"].includes(t)) return false;
  return "invalid";
}

export function readYesNo(v: string): boolean | undefined | "invalid" {
  const t = v.trim().toLowerCase();
  if (!t) return undefined;
  if (["是", "true", "yes", "y", "1", "√"].includes(t)) return true;
  if (["否", "false", "no", "n", "0", "×"].includes(t)) return false;
  return "invalid";
}

export const splitCodes = (v: string): string[] => v.split(LIST_SEPARATORS).map((s) => s.trim()).filter(Boolean);

const ROLE_BY_TEXT = new Map<string, RoleName>([
  ...RoleName.options.map((r) => [r, r] as [string, RoleName]),
  ...Object.entries(ROLE_ZH).map(([r, zh]) => [zh, r as RoleName] as [string, RoleName]),
]);
export function readRole(v: string): RoleName | undefined {
  return ROLE_BY_TEXT.get(v.trim()) ?? ROLE_BY_TEXT.get(v.trim().toLowerCase());
}

const DURATION_UNITS: Array<[RegExp, DurationUnit]> = [
  [/^(工作小时|working[ _]?hours?|wh)$/i, "working_hours"],
  [/^(小时|自然小时|calendar[ _]?hours?|hours?|h)$/i, "calendar_hours"],
  [/^(工作日|working[ _]?days?|wd)$/i, "working_days"],
  [/^(天|日|自然日|calendar[ _]?days?|days?|d)$/i, "calendar_days"],
];
const DURATION_TEXT: Record<DurationUnit, string> = { working_hours: "工作小时", calendar_hours: "小时", working_days: "工作日", calendar_days: "天" };

export function durationText(d: Duration | undefined): string {
  return d ? `${d.amount}${DURATION_TEXT[d.unit]}` : "";
}

export function readDuration(v: string): Duration | undefined | "invalid" {
  const t = v.trim();
  if (!t) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(.+)$/.exec(t);
  const unit = m ? DURATION_UNITS.find(([re]) => re.test(m[2].trim()))?.[1] : undefined;
  if (!m || !unit) return "invalid";
  const out = Duration.safeParse({ amount: Number(m[1]), unit });
  return out.success ? out.data : "invalid";
}

/** Shared row checks: required columns filled. */
export function requiredProblems(spec: ListSpec, line: number, cells: Record<string, string>, except: string[] = []): RowProblem[] {
  return spec.columns.filter((c) => c.required && !except.includes(c.key) && !cells[c.key]).map((c) => ({ line, key: c.key, code: "required" as const, params: { field: c.key } }));
}

export const invalid = (line: number, key: string, value: string, hint: string): RowProblem => ({ line, key, code: "invalid", params: { field: key, value, hint } });

export function zodHint(schema: z.ZodMiniType, value: unknown): string | undefined {
  const out = schema.safeParse(value);
  return out.success ? undefined : out.error.issues[0]?.message ?? "invalid";
}

// ---- staff -----------------------------------------------------------------------------------

export interface StaffAssignmentIn {
  line: number;
  role: RoleName;
  unitCode: string;
  departmentCode?: string;
}

/** One account of the sheet: its rows (one per role) merged. */
export interface StaffIn {
  lines: number[];
  username: string;
  displayName: string;
  phone?: string;
  active?: boolean;
  password?: string;
  assignments: StaffAssignmentIn[];
}

export function readStaffRows(rows: Array<{ line: number; cells: Record<string, string> }>): { accounts: StaffIn[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const groups = new Map<string, { rows: Array<{ line: number; cells: Record<string, string> }>; bad: Set<number> }>();
  for (const r of rows) {
    const key = r.cells.username.toLowerCase() || `#${r.line}`;
    const g = groups.get(key) ?? { rows: [], bad: new Set<number>() };
    g.rows.push(r);
    groups.set(key, g);
  }
  const accounts: StaffIn[] = [];
  for (const g of groups.values()) {
    const first = g.rows[0];
    const own: RowProblem[] = [];
    const account: StaffIn = { lines: g.rows.map((r) => r.line), username: first.cells.username, displayName: "", assignments: [] };
    const seenRoles = new Map<string, number>();
    g.rows.forEach((r, i) => {
      const c = r.cells;
      const line = r.line;
      // later rows of an account may leave name, phone, status and password empty
      own.push(...requiredProblems(STAFF, line, c, i > 0 ? ["displayName"] : []));
      if (c.username) {
        const h = zodHint(Username, c.username);
        if (h) own.push(invalid(line, "username", c.username, h));
      }
      const agree = (key: "displayName" | "phone" | "active" | "password", value: string | undefined) => {
        if (!c[key]) return;
        if (value !== undefined && value !== "" && value !== c[key]) own.push({ line, key, code: "rows_disagree", params: { field: key, other: first.line } });
      };
      if (i === 0) account.displayName = c.displayName;
      else agree("displayName", account.displayName);
      if (c.displayName && c.displayName.length > 64) own.push(invalid(line, "displayName", c.displayName.slice(0, 20), "at most 64 characters"));
      if (c.phone) {
        const h = zodHint(Phone, c.phone);
        if (h) own.push(invalid(line, "phone", c.phone, h));
        else if (account.phone === undefined) account.phone = c.phone;
        else agree("phone", account.phone);
      }
      if (c.active) {
        const a = readActive(c.active);
        if (a === "invalid") own.push(invalid(line, "active", c.active, "启用 or 停用"));
        else if (account.active === undefined) account.active = a;
        else if (a !== account.active) own.push({ line, key: "active", code: "rows_disagree", params: { field: "active", other: first.line } });
      }
      if (c.password) {
        const h = zodHint(Password, c.password);
        if (h) own.push(invalid(line, "password", "••••", h));
        else if (account.password === undefined) account.password = c.password;
        else agree("password", account.password);
      }
      if (c.role) {
        const role = readRole(c.role);
        if (!role) own.push({ line, key: "role", code: "unknown_role", params: { value: c.role } });
        else if (c.unitCode) {
          if (role === "department_staff" && !c.departmentCode) own.push({ line, key: "departmentCode", code: "required", params: { field: "departmentCode" } });
          const k = `${role}|${c.unitCode}`;
          const before = seenRoles.get(k);
          if (before !== undefined) own.push({ line, key: "role", code: "duplicate_in_file", params: { value: `${c.role} ${c.unitCode}`, other: before } });
          else seenRoles.set(k, line);
          account.assignments.push({ line, role, unitCode: c.unitCode, ...(c.departmentCode ? { departmentCode: c.departmentCode } : {}) });
        }
      }
    });
    if (account.assignments.length > 20) own.push(invalid(first.line, "role", String(account.assignments.length), "at most 20 roles per account"));
    if (own.length) {
      problems.push(...own);
      const bad = new Set(own.map((p) => p.line));
      const firstBad = Math.min(...bad);
      for (const r of g.rows) if (!bad.has(r.line)) problems.push({ line: r.line, code: "other_row", params: { other: firstBad } });
      continue;
    }
    accounts.push(account);
  }
  return { accounts, problems };
}

// ---- the generic row reader --------------------------------------------------------------------

export type Cells = Record<string, string>;

/**
 * Read the rows of a one-row-per-record sheet: the required columns are checked, `read` turns the
 * cells into a record (pushing its problems to `own`), and a second row with the same key (`key`
 * of the record; none: no check) is a `duplicate_in_file` naming the first. A row with any problem
 * is left out.
 */
export function readRows<T>(
  spec: ListSpec,
  rows: Array<{ line: number; cells: Cells }>,
  read: (c: Cells, line: number, own: RowProblem[]) => T,
  key?: (record: T, c: Cells) => string | undefined,
  /** how the key is named in a duplicate's message (default the key column's cell; a masked form for an ID number) */
  shown?: (record: T, c: Cells) => string,
): { records: T[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const records: T[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of rows) {
    const own = requiredProblems(spec, line, cells);
    const record = read(cells, line, own);
    const k = key?.(record, cells);
    if (k !== undefined && k !== "") {
      const before = seen.get(k);
      if (before !== undefined) own.push({ line, key: spec.keyColumn, code: "duplicate_in_file", params: { value: shown?.(record, cells) ?? (cells[spec.keyColumn] || k), other: before } });
      else seen.set(k, line);
    }
    if (own.length) {
      problems.push(...own);
      continue;
    }
    records.push(record);
  }
  return { records, problems };
}

// ---- departments -----------------------------------------------------------------------------

export interface DepartmentIn {
  line: number;
  code: string;
  name: string;
  contact: { name: string; phone?: string };
  unitCodes: string[];
  active?: boolean;
}

export function readDepartmentRows(rows: Array<{ line: number; cells: Cells }>): { departments: DepartmentIn[]; problems: RowProblem[] } {
  const { records, problems } = readRows(
    DEPARTMENTS,
    rows,
    (c, line, own) => {
      const code = DepartmentCode.safeParse(c.code);
      if (c.code && !code.success) own.push(invalid(line, "code", c.code, code.error.issues[0].message));
      if (c.name.length > 64) own.push(invalid(line, "name", c.name.slice(0, 20), "at most 64 characters"));
      const contact = Contact.safeParse({ name: c.contactName || "-", ...(c.contactPhone ? { phone: c.contactPhone } : {}) });
      if (!contact.success) {
        for (const i of contact.error.issues) {
          const key = i.path[0] === "phone" ? "contactPhone" : "contactName";
          own.push(invalid(line, key, key === "contactPhone" ? c.contactPhone : c.contactName, i.message));
        }
      }
      const active = readActive(c.active ?? "");
      if (active === "invalid") own.push(invalid(line, "active", c.active, "启用 or 停用"));
      const unitCodes = splitCodes(c.unitCodes ?? "");
      if (unitCodes.length > 500) own.push(invalid(line, "unitCodes", String(unitCodes.length), "at most 500 units"));
      const d: DepartmentIn = { line, code: code.data ?? "", name: c.name.trim(), contact: contact.data ?? { name: c.contactName }, unitCodes: [...new Set(unitCodes)], ...(active === undefined || active === "invalid" ? {} : { active }) };
      return d;
    },
    (d) => d.code || undefined,
  );
  return { departments: records, problems };
}

// ---- categories ------------------------------------------------------------------------------

export interface CategoryIn {
  line: number;
  code: string;
  name: string;
  parentCode: string | null;
  /** undefined: the cell was empty (inherit, or the default on a top-level category) */
  isDispute?: boolean;
  police?: boolean;
  urgent?: boolean;
  claimWindow?: boolean;
  departmentCodes?: string[];
  deadlines: Partial<Record<DeadlineStage, Duration>>;
  active?: boolean;
}

export function readCategoryRows(rows: Array<{ line: number; cells: Cells }>): { categories: CategoryIn[]; problems: RowProblem[] } {
  const { records, problems } = readRows(
    CATEGORIES,
    rows,
    (c, line, own) => {
      const code = CategoryCode.safeParse(c.code);
      if (c.code && !code.success) own.push(invalid(line, "code", c.code, code.error.issues[0].message));
      const parent = c.parentCode ? CategoryCode.safeParse(c.parentCode) : undefined;
      if (parent && !parent.success) own.push(invalid(line, "parentCode", c.parentCode, parent.error.issues[0].message));
      if (c.name.length > 64) own.push(invalid(line, "name", c.name.slice(0, 20), "at most 64 characters"));
      const out: CategoryIn = { line, code: code.data ?? c.code, name: c.name.trim(), parentCode: parent?.success ? parent.data : null, deadlines: {} };
      for (const k of ["isDispute", "police", "urgent", "claimWindow"] as const) {
        const v = readYesNo(c[k] ?? "");
        if (v === "invalid") own.push(invalid(line, k, c[k], "是 or 否"));
        else if (v !== undefined) out[k] = v;
      }
      if (c.departmentCodes) out.departmentCodes = [...new Set(splitCodes(c.departmentCodes).map((x) => x.toUpperCase()))];
      for (const s of STAGES) {
        const d = readDuration(c[s] ?? "");
        if (d === "invalid") own.push(invalid(line, s, c[s], "e.g. 2工作小时, 24小时, 5工作日, 3天"));
        else if (d) out.deadlines[s] = d;
      }
      const active = readActive(c.active ?? "");
      if (active === "invalid") own.push(invalid(line, "active", c.active, "启用 or 停用"));
      else if (active !== undefined) out.active = active;
      if (out.parentCode && out.parentCode === out.code) own.push(invalid(line, "parentCode", c.parentCode, "a category cannot be its own parent"));
      return out;
    },
    (c, cells) => (CategoryCode.safeParse(cells.code).success ? c.code : undefined),
  );
  return { categories: records, problems };
}
