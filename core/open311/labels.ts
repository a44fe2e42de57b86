import type { CaseState, EventType } from "../case/schema.ts";

/** Chinese names of the case states, as residents and partners read them. */
export const STATE_LABEL: Record<CaseState, string> = {
  reported: "已上报",
  accepted: "已受理",
  claimable: "抢单中",
  dispatched: "已派发",
  in_progress: "处置中",
  handled: "已反馈",
  verified: "已核查",
  closed: "已办结",
  rejected: "不予受理",
};

/** Public descriptions of timeline events (no notes: those are staff-only). */
export const EVENT_LABEL: Record<EventType, string> = {
  reported: "事件已上报",
  accepted: "指挥中心已受理",
  claim_opened: "已推送相关部门抢单",
  claimed: "责任部门已认领",
  claim_expired: "抢单时限已过，转派单",
  dispatched: "已派发至责任单位",
  rejected: "不予受理",
  merged: "已与重复事件合并",
  resolved: "已现场处置",
  transferred: "责任单位申请退回改派",
  started: "开始处置",
  handled: "处置完毕，待核查",
  verified: "网格员已现场核查",
  verify_failed: "核查未通过，退回重办",
  evaluated: "已评价",
  returned: "评价不满意，退回重办",
  mediated: "已开展调解",
  escalated: "已上报上级处理",
  supervised: "已纳入督办",
  supervision_reminder: "督办提醒",
  overdue: "当前环节已超时",
  extension_requested: "已申请延期",
  extension_approved: "延期已批准",
  extension_refused: "延期未批准",
  deferred: "暂缓处理",
  resumed: "恢复处理",
  closed: "已办结",
  reopened: "已重新打开",
  commented: "补充说明",
};

/** Open311 has two statuses: a case is closed when it reached a terminal state. */
export const open311Status = (state: string): "open" | "closed" => (state === "closed" || state === "rejected" ? "closed" : "open");

/** The fine state for status_notes: "已派发 (dispatched)". */
export const stateNote = (state: CaseState): string => `${STATE_LABEL[state] ?? state} (${state})`;
