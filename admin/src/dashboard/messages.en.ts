/** Console messages of this area (English); merged by i18n/en.ts. */
export default {
  "app": {
    "figures": {
      "open": "Open now",
      "today_reports": "Reported today",
      "today_closed": "Closed today",
      "month_reports": "Reported this month",
      "month_closed": "Closed this month",
      "ontime": "Closed on time",
      "overdue": "Overdue this month",
      "vs_previous": "Last month %{value}",
      "by_unit": "By unit (this month)",
      "by_department": "By department (this month)",
      "reports": "Reported",
      "closed": "Closed",
      "closed_late": "Closed late",
      "unit": "Unit",
      "department": "Department",
      "handled": "Handled",
      "claims": "Claims",
      "source": "From the monthly aggregates (%{month}), exact; updated %{time}",
      "bigscreen": "Open the wall screen"
    }
  }
};
