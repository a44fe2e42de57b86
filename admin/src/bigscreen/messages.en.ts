/** Console messages of this area (English); merged by i18n/en.ts. */
export default {
  "app": {
    "bigscreen": {
      "title": "Command centre wall",
      "today_reports": "Reported today",
      "today_closed": "Closed today",
      "open_now": "Open now",
      "month_reports": "Reported this month",
      "ontime_close": "Closed on time this month",
      "ontime_handle": "Handled on time this month",
      "open_map": "Open cases by unit",
      "five_colors": "Five colours, %{month}",
      "no_appraisal": "No appraisal for this or last month yet",
      "departments": "Departments (closed this month)",
      "updated": "Updated %{time}",
      "exit": "Leave",
      "fullscreen": "Full screen"
    }
  }
};
