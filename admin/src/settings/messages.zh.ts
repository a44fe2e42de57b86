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
        "auditRetentionMonths": "审计日志保存月数"
      }
    }
  }
};
