/** The unit tree and the county map of grids (简体中文). */
export default {
  app: {
    units: {
      geometry_types: { Polygon: "多边形", MultiPolygon: "多个多边形" },
    },
    units_tree: {
      title: "单元树",
      help: "逐级展开查看下级单元；数字为该单元及其全部下级的事件：在办为当前未办结的事件，超时、上报、办结为本月数。点击名称打开单元。",
      month: "统计月份：%{month}",
      expand: "展开",
      collapse: "收起",
      open: "在办",
      overdue: "本月超时",
      reports: "本月上报",
      closed: "本月办结",
      households: "户数",
      population: "人口",
      no_children: "没有下级单元",
      more: "已显示 %{count} 个，加载更多",
      error: "加载失败，请稍后重试",
    },
    grids_map: {
      title: "网格地图",
      level: "层级",
      by_open: "按在办事件",
      by_overdue: "按本月超时",
      by_band: "按本月考评",
      legend_band: "%{month} 考评等级：",
      no_band: "本月尚无考评结果",
      summary: "共 %{count} 个单元 · %{month} · 在办 %{open} 件 · 本月超时 %{overdue} 次",
      legend_open: "在办事件数：",
      legend_overdue: "本月超时次数：",
      no_figures: "无权查看事件数",
      truncated: "单元过多，地图只画出了前 8000 个；请选择上一级层级查看。",
    },
  },
};
