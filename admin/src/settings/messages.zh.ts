/** Console messages of this area (简体中文); merged by i18n/zh.ts. */
export default {
  "app": {
    "categories": {
      "effective": "实际时限",
      "source": "来源",
      "sources": {
        "category": "本类别设置",
        "parent": "继承上级类别",
        "county": "县级默认（系统设置）"
      }
    },
    "settings_page": {
      "title": "系统设置",
      "case_defaults": "事件办理的县级默认值",
      "case_defaults_help": "事件类别及其上级类别未设置时使用这些时限。抢单时限即抢单窗口的时长。",
      "stage": "环节",
      "amount": "时限",
      "unit": "单位",
      "evaluation_default": "逾期未评价时的默认评价",
      "supervise_after": "超时后转督办并提醒的间隔（小时）",
      "saved": "设置已保存",
      "county": "县（区）",
      "version": "版本 %{version}",
      "privacy": "个人信息保护：查询限额与保存期限",
      "privacy_help": "限制查看居民身份证号和手机号的次数，并规定个人信息和审计日志的保存期限。超出限额的用户会被拒绝，每次拒绝都记入审计日志，县级管理员可以查看。",
      "privacy_range": "%{min}–%{max}，默认 %{def}",
      "privacy_fields": {
        "searchesPerUserHour": "每人每小时按身份证号或手机号精确查询次数",
        "revealsPerUserDay": "每人 24 小时内查看明文个人信息次数",
        "residentRetentionDays": "居民账号未使用多少天后删除",
        "auditRetentionMonths": "审计日志保存月数",
        "revealsPerUnitDay": "每个社区每天可被查看明文的记录数（所有人合计）",
        "caseAttachmentRetentionDays": "案件办结多少天后删除其照片和附件",
        "movedAwayRetentionDays": "标记为已迁出的人员多少天后删除",
        "unattachedUploadRetentionHours": "上传后未用于任何事件或巡查的照片和录音多少小时后删除",
        "importFileRetentionDays": "导入文件（上传的表格、错误报告、激活码表）导入多少天后删除",
        "dutyPhotoRetentionDays": "走访、巡查和任务的现场照片记录多少天后删除"
      },
      "masks": "身份证号和手机号的脱敏方式",
      "mask_id_trailing": "身份证号显示末尾几位",
      "mask_phone_leading": "手机号开头",
      "mask_phone_no_prefix": "不显示",
      "mask_phone_prefix": "显示前 3 位（号段）",
      "mask_phone_trailing": "手机号显示末尾几位",
      "mask_trailing_n": "%{n} 位",
      "mask_preview": "示例：%{value}"
    }
  }
};
