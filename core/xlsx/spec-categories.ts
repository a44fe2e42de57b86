/** The categories list's sheet (事件分类) and the deadlines as written in it. */
import type { Duration, DurationUnit } from "../calendar/schema.ts";
import type { DeadlineStage } from "../case/schema.ts";
import { ACTIVE, YES_NO, type Column, type ListSpec } from "./specs.ts";

const STAGE_ZH: Record<DeadlineStage, string> = { accept: "受理时限", claim: "认领时限", dispatch: "派遣时限", handle: "处置时限", verify: "核查时限", evaluate: "评价时限" };
const STAGE_EN: Record<DeadlineStage, string> = { accept: "Accept within", claim: "Claim within", dispatch: "Dispatch within", handle: "Handle within", verify: "Verify within", evaluate: "Evaluate within" };
/** The deadline stages in their order (DeadlineStage's options, spelled here so the templates do not load the case schemas; core/xlsx/lists.test.ts checks they match). */
export const STAGES: readonly DeadlineStage[] = ["accept", "claim", "dispatch", "handle", "verify", "evaluate"];

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

const DURATION_TEXT: Record<DurationUnit, string> = { working_hours: "工作小时", calendar_hours: "小时", working_days: "工作日", calendar_days: "天" };

/** A deadline as the sheet writes it (`5工作日`); core/xlsx/lists.ts readDuration reads it back. */
export function durationText(d: Duration | undefined): string {
  return d ? `${d.amount}${DURATION_TEXT[d.unit]}` : "";
}

