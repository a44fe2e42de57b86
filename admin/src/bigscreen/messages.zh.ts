/** Console messages of this area (简体中文); merged by i18n/zh.ts. */
export default {
  "app": {
    "bigscreen": {
      "title": "数据大屏",
      "today_reports": "今日上报",
      "today_closed": "今日办结",
      "open_now": "当前在办",
      "month_reports": "本月上报",
      "ontime_close": "本月按时办结率",
      "ontime_handle": "本月按时处置率",
      "open_map": "各单元在办事件",
      "five_colors": "%{month} 五色评价",
      "no_appraisal": "本月及上月尚无考评结果",
      "departments": "部门排名（本月办结）",
      "updated": "更新于 %{time}",
      "exit": "退出大屏",
      "fullscreen": "全屏"
    }
  }
};
