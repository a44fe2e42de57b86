/** The unit tree and the county map of grids (English). */
export default {
  app: {
    units: {
      geometry_types: { Polygon: "Polygon", MultiPolygon: "MultiPolygon" },
    },
    units_tree: {
      title: "Unit tree",
      help: "Open a unit to see the units below it; figures cover the unit and everything below it: open = cases not closed yet; overdue, reports and closed = this month. Click a name to open the unit.",
      month: "Month: %{month}",
      expand: "Expand",
      collapse: "Collapse",
      open: "Open",
      overdue: "Overdue this month",
      reports: "Reported this month",
      closed: "Closed this month",
      households: "Households",
      population: "Population",
      no_children: "No units below",
      more: "%{count} shown, load more",
      error: "Could not load, please try again later",
    },
    grids_map: {
      title: "Grid map",
      level: "Level",
      by_open: "By open cases",
      by_overdue: "By overdue this month",
      by_band: "By this month's appraisal",
      legend_band: "Appraisal bands, %{month}:",
      no_band: "No appraisal result this month",
      summary: "%{count} units · %{month} · %{open} open cases · %{overdue} overdue events this month",
      legend_open: "Open cases:",
      legend_overdue: "Overdue events this month:",
      no_figures: "No access to case figures",
      truncated: "Too many units: the map shows the first 8,000; choose a higher level.",
    },
  },
};
