/** Console messages of this area (简体中文); merged by i18n/zh.ts. */
export default {
  "app": {
    "ops": {
      "title": "运行状况",
      "queues": "消息队列",
      "queue": "队列",
      "visible": "待处理",
      "in_flight": "处理中",
      "delayed": "延迟",
      "dead_letters": "死信",
      "failures": "累计失败",
      "last_error": "最近一次错误",
      "none": "无",
      "redrive": "重新投递",
      "redrive_confirm": "将队列“%{queue}”的 %{smart_count} 条死信消息送回原队列重新处理？此操作会记入操作日志。",
      "redriven": "已送回 %{smart_count} 条消息",
      "jobs": "后台任务",
      "job_kind": "类型",
      "job_status": "状态",
      "job_progress": "进度",
      "job_created": "创建时间",
      "no_jobs": "暂无后台任务",
      "refreshed": "每 10 秒自动刷新",
      "job_kinds": { "unit-import": "导入单元", "unit-move": "调整单元隶属", "xlsx-import": "Excel 导入", "export": "数据导出", "appraisal": "月度考评" },
      "job_states": { "queued": "排队中", "validating": "校验中", "importing": "导入中", "running": "进行中", "succeeded": "已完成", "failed": "失败", "done": "已完成", "locked": "已锁定", "requested": "待审批", "approved": "已批准，生成中", "ready": "可下载", "refused": "已拒绝" },
      "names": {
        "events": "事件处理",
        "timeouts": "时限计时",
        "webhooks": "事件推送",
        "jobs": "导入任务",
        "appraisal": "月度考评",
        "exports": "数据导出"
      }
    }
  }
};
