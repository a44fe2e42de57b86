/** Console messages of this area (简体中文); merged by i18n/zh.ts. */
export default {
  "app": {
    "inbox": {
      "types": { "task": { "assigned": "新任务", "done": "任务已完成" }, "visits": { "overdue": "走访逾期" }, "patrols": { "missed": "巡查未完成" }, "registry": { "quota_exceeded": "敏感信息查询超出限额" } },
      "title": "消息通知",
      "all": "全部",
      "unread": "未读",
      "mark_read": "标为已读",
      "read_all": "本页全部标为已读",
      "empty": "没有消息",
      "more": "加载更多",
      "case": "事件",
      "what": "内容",
      "when": "时间",
      "read": "已读",
      "open_all": "查看全部消息"
    }
  }
};
