/**
 * The built-in indicators: computed by core/indicator/compute.ts from the monthly counters.
 * Listed with the external (configured) definitions by `GET /v1/indicator-definitions`, and
 * usable in scoring rules like them. Read-only.
 */
import type { IndicatorDefinition } from "./schema.ts";
import type { SubjectKind } from "./compute.ts";

type B = { key: string; name: string; unit: "%" | "件" | "分" | "次"; direction: "higher_better" | "lower_better"; subjects: SubjectKind[]; description: string; max?: number };

const ALL: SubjectKind[] = ["unit", "department", "worker"];
const UD: SubjectKind[] = ["unit", "department"];
const U: SubjectKind[] = ["unit"];
const D: SubjectKind[] = ["department"];
const W: SubjectKind[] = ["worker"];

const LIST: B[] = [
  { key: "reports", name: "上报数", unit: "件", direction: "higher_better", subjects: ["unit", "worker"], description: "cases reported in the month" },
  { key: "validReports", name: "有效上报数", unit: "件", direction: "higher_better", subjects: ["unit", "worker"], description: "reports registered, or resolved on the spot before registration" },
  { key: "validReportRate", name: "有效上报率", unit: "%", direction: "higher_better", subjects: ["unit", "worker"], description: "validReports / reports" },
  { key: "invalid", name: "不予受理数", unit: "件", direction: "lower_better", subjects: U, description: "reports rejected as invalid" },
  { key: "merged", name: "重复合并数", unit: "件", direction: "lower_better", subjects: U, description: "reports merged as duplicates" },
  { key: "reportsPublic", name: "群众/热线发现数", unit: "件", direction: "lower_better", subjects: U, description: "reports from residents, hotline, partners or police" },
  { key: "missedReportRate", name: "漏报率", unit: "%", direction: "lower_better", subjects: ["unit", "worker"], description: "reportsPublic / reports (of the grid)" },
  { key: "missedReportScore", name: "漏报得分", unit: "分", direction: "higher_better", subjects: W, description: "100 − missedReportRate of the worker's grid", max: 100 },
  { key: "urgent", name: "紧急事件数", unit: "件", direction: "lower_better", subjects: U, description: "urgent cases reported" },
  { key: "registered", name: "立案数", unit: "件", direction: "higher_better", subjects: U, description: "cases accepted (registered)" },
  { key: "toAccept", name: "应受理数", unit: "件", direction: "higher_better", subjects: U, description: "registered + max(0, overdue_accept − acceptedLate)" },
  { key: "onTimeAcceptRate", name: "按时受理率", unit: "%", direction: "higher_better", subjects: U, description: "acceptedOnTime / toAccept" },
  { key: "dispatched", name: "派遣数", unit: "件", direction: "higher_better", subjects: U, description: "cases dispatched or claimed" },
  { key: "toDispatch", name: "应派遣数", unit: "件", direction: "higher_better", subjects: U, description: "dispatched + max(0, overdue_dispatch − dispatchedLate)" },
  { key: "onTimeDispatchRate", name: "按时派遣率", unit: "%", direction: "higher_better", subjects: U, description: "dispatchedOnTime / toDispatch" },
  { key: "transfers", name: "退回/转办数", unit: "件", direction: "lower_better", subjects: UD, description: "cases sent back by a department as not theirs" },
  { key: "accurateDispatchRate", name: "准确派遣率", unit: "%", direction: "higher_better", subjects: UD, description: "(toDispatch − transfers) / toDispatch; departments: (assigned − transfers) / assigned" },
  { key: "assigned", name: "受派/认领数", unit: "件", direction: "higher_better", subjects: D, description: "dispatched to the department + claims" },
  { key: "claims", name: "抢单数", unit: "件", direction: "higher_better", subjects: D, description: "cases claimed in the claim window" },
  { key: "claimPoints", name: "抢单积分", unit: "分", direction: "higher_better", subjects: D, description: "points earned by claims" },
  { key: "handled", name: "处置数", unit: "件", direction: "higher_better", subjects: UD, description: "handlings reported done (incl. resolved mediations)" },
  { key: "toHandle", name: "应处置数", unit: "件", direction: "higher_better", subjects: UD, description: "handled + max(0, overdue_handle − handledLate)" },
  { key: "onTimeHandleRate", name: "按时处置率", unit: "%", direction: "higher_better", subjects: UD, description: "handledOnTime / toHandle" },
  { key: "resolvedOnSpot", name: "就地解决数", unit: "件", direction: "higher_better", subjects: ["unit", "worker"], description: "cases resolved on the spot by a grid worker" },
  { key: "dueToClose", name: "应结案数", unit: "件", direction: "higher_better", subjects: UD, description: "toHandle (+ resolvedOnSpot for units)" },
  { key: "closed", name: "结案数", unit: "件", direction: "higher_better", subjects: UD, description: "cases closed" },
  { key: "closedOnTime", name: "按期结案数", unit: "件", direction: "higher_better", subjects: UD, description: "cases closed without ever being supervised" },
  { key: "closeRate", name: "结案率", unit: "%", direction: "higher_better", subjects: UD, description: "closed / dueToClose" },
  { key: "onTimeCloseRate", name: "按期结案率", unit: "%", direction: "higher_better", subjects: UD, description: "closedOnTime / dueToClose" },
  { key: "rework", name: "返工数", unit: "件", direction: "lower_better", subjects: UD, description: "cases returned for rework" },
  { key: "reworkRate", name: "返工率", unit: "%", direction: "lower_better", subjects: UD, description: "rework / dueToClose" },
  { key: "verified", name: "核查通过数", unit: "件", direction: "higher_better", subjects: ["unit", "worker"], description: "verifications passed" },
  { key: "toVerify", name: "应核查数", unit: "件", direction: "higher_better", subjects: U, description: "verified + verifyFailed + max(0, overdue_verify − verifiedLate − verifyFailedLate)" },
  { key: "checks", name: "核查数", unit: "件", direction: "higher_better", subjects: W, description: "verifications done by the worker (passed or failed)" },
  { key: "verifiedOnTime", name: "按时核查数", unit: "件", direction: "higher_better", subjects: W, description: "verifications done by the worker within the deadline" },
  { key: "onTimeVerifyRate", name: "按时核查率", unit: "%", direction: "higher_better", subjects: ["unit", "worker"], description: "(verifiedOnTime + verifyFailedOnTime) / toVerify; workers: / checks" },
  { key: "reportChecks", name: "应回访核实数", unit: "件", direction: "higher_better", subjects: W, description: "evaluations due on the worker's own reports" },
  { key: "onTimeCheckRate", name: "按时核实率", unit: "%", direction: "higher_better", subjects: W, description: "reportChecksOnTime / reportChecks" },
  { key: "gridReports", name: "网格上报数", unit: "件", direction: "higher_better", subjects: W, description: "reports in the worker's grid" },
  { key: "gridReportsPublic", name: "网格漏报数", unit: "件", direction: "lower_better", subjects: W, description: "reports in the worker's grid from residents, hotline, partners or police" },
  { key: "supervised", name: "督办数", unit: "件", direction: "lower_better", subjects: UD, description: "cases pushed to supervision" },
  { key: "overdue", name: "超期次数", unit: "次", direction: "lower_better", subjects: UD, description: "stage deadlines missed (all stages)" },
  { key: "evaluations", name: "评价数", unit: "件", direction: "higher_better", subjects: ALL, description: "evaluations given" },
  { key: "satisfied", name: "满意数", unit: "件", direction: "higher_better", subjects: W, description: "very satisfied + satisfied evaluations of the worker's reports" },
  { key: "satisfactionRate", name: "满意率", unit: "%", direction: "higher_better", subjects: ALL, description: "(very satisfied + satisfied) / evaluations" },
  { key: "satisfactionIndex", name: "满意度指数", unit: "分", direction: "higher_better", subjects: UD, description: "mean of 100/75/50/25/0 per evaluation level", max: 100 },
  { key: "disputesResolved", name: "矛盾纠纷化解数", unit: "件", direction: "higher_better", subjects: U, description: "mediations resolved at any level" },
  ...(
    [
      ["grid", "网格"],
      ["village_group", "村民小组"],
      ["community", "村/社区"],
      ["township_center", "乡镇综治中心"],
      ["county_center", "县级中心"],
    ] as const
  ).map(([level, name]): B => ({ key: `disputesResolved_${level}`, name: `${name}化解数`, unit: "件", direction: "higher_better", subjects: U, description: `mediations resolved at the ${level} level` })),
  { key: "disputesResolvedInGrid", name: "网格内化解数", unit: "件", direction: "higher_better", subjects: U, description: "mediations resolved at the grid level" },
  { key: "disputesResolvedInCommunity", name: "社区内化解数", unit: "件", direction: "higher_better", subjects: U, description: "resolved at grid, village group or community level" },
  { key: "mediationsFailed", name: "调解失败次数", unit: "次", direction: "lower_better", subjects: U, description: "failed mediation attempts" },
  { key: "inGridShare", name: "小事不出格率", unit: "%", direction: "higher_better", subjects: U, description: "disputesResolvedInGrid / disputesResolved" },
  { key: "inCommunityShare", name: "大事不出社区率", unit: "%", direction: "higher_better", subjects: U, description: "disputesResolvedInCommunity / disputesResolved" },
];

const at = "1970-01-01T00:00:00.000Z";

/** Built-in definitions: rates (%) and scores range 0–100, counts and points from 0 with no upper bound. */
export const BUILTIN_INDICATORS: readonly (IndicatorDefinition & { subjects: SubjectKind[] })[] = LIST.map((b) => ({
  key: b.key,
  name: b.name,
  unit: b.unit,
  direction: b.direction,
  min: 0,
  ...(b.unit === "%" ? { max: 100 } : b.max !== undefined ? { max: b.max } : {}),
  description: b.description,
  builtin: true,
  subjects: b.subjects,
  active: true,
  version: 0,
  createdAt: at,
  updatedAt: at,
}));

export const BUILTIN_BY_KEY: ReadonlyMap<string, (typeof BUILTIN_INDICATORS)[number]> = new Map(BUILTIN_INDICATORS.map((d) => [d.key, d]));

export const isBuiltin = (key: string): boolean => BUILTIN_BY_KEY.has(key);
