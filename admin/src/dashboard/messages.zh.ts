/** Console messages of this area (简体中文); merged by i18n/zh.ts. */
export default {
  "app": {
    "figures": {
      "open": "当前在办",
      "today_reports": "今日上报",
      "today_closed": "今日办结",
      "month_reports": "本月上报",
      "month_closed": "本月办结",
      "ontime": "按时办结率",
      "overdue": "本月超时",
      "vs_previous": "上月 %{value}",
      "by_unit": "各下级单元（本月）",
      "by_department": "各职能部门（本月）",
      "reports": "上报",
      "closed": "办结",
      "closed_late": "超时办结",
      "unit": "单元",
      "department": "部门",
      "handled": "处置",
      "claims": "抢单",
      "source": "数据来自月度汇总（%{month}），精确统计，更新于 %{time}",
      "bigscreen": "打开数据大屏"
    }
  }
};
