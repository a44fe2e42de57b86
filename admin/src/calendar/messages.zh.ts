/** Calendar: years without official holidays and the notice import (简体中文). */
export default {
  app: {
    calendar_notice: {
      missing: "工作日历尚无 %{year} 年法定节假日安排：%{year} 年的期限暂按周一至周五计算，请导入国务院办公厅通知。",
      import: "导入节假日通知",
      help: "一个文件：JSON {year, holidays, workdays}，或 CSV（date,type，类型为 休 / 班）",
      imported: "已导入 %{year} 年：%{holidays} 天假日，%{workdays} 天调休上班",
    },
  },
};
