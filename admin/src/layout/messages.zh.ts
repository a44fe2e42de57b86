/** Menu and layout messages (简体中文). */
export default {
  app: {
    menu: {
      cases: "事件办理",
      registry: "基础台账",
      duties: "日常工作",
      appraisal: "考核评价",
      administration: "系统管理",
    },
  },
};
