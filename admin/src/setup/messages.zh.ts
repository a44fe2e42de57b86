/** Console messages of the first-run guide (简体中文); merged by i18n/zh.ts. */
export default {
  app: {
    setup: {
      title: "开通向导",
      heading: "%{county}（%{code}）开通向导",
      intro: "按步骤完成县域的基础配置：已完成 %{done} / %{total} 步。每一步的状态都由现有数据计算，可随时离开、随时继续。",
      state_done: "已完成",
      state_left: "待完成",
      count: "已有 %{count} 条",
      divisions: {
        title: "乡镇（街道）与村（社区）",
        done: "已建 %{count} 个乡镇（街道）和村（社区）",
        found: "%{province} %{city} %{county}：%{streets} 个乡镇（街道），%{villages} 个村（社区）。取消勾选不属于本系统的单位，名称可直接修改。",
        source: "数据来源",
        short_names: "使用常用名称（“××社区居委会”改为“××社区”，“××村委会”改为“××村”）",
        code: "区划代码",
        name: "名称",
        official: "统计用名称",
        state: "状态",
        new: "新建",
        exists: "已存在",
        renamed: "已存在（现名：%{name}）",
        expand: "展开村（社区）",
        collapse: "收起",
        import: "导入 %{count} 个单位",
        summary: "已勾选 %{picked} 个，其中 %{rows} 个需要新建或改名；已存在且同名的不再写入。",
        missing: "国家区划数据中没有代码 %{code}：请在“单位”页面手工建立乡镇（街道）和村（社区），或导入文件。",
        levels_differ: "本县的层级编码位数与国家统计用区划代码（乡镇 3 位、村 3 位）不同，不能直接使用国家区划：请导入文件或手工建立。",
      },
      boundaries: {
        title: "边界",
        done: "%{with} / %{total} 个单位已有边界",
        help: "导入县 GIS 部门的边界文件（GeoJSON 或 CSV+WKT），用于按位置自动确定事件所属网格，并在地图上显示。",
        action: "导入边界文件",
      },
      departments: {
        title: "职能部门",
        help: "建立处置事件的职能部门（如城管、住建、市场监管），派遣时从中选择。",
        action: "管理职能部门",
      },
      categories: {
        title: "事件分类",
        help: "建立事件分类及各环节时限；上报时只能选择最末级分类。",
        action: "管理事件分类",
      },
      staff: {
        title: "人员与角色",
        help: "为指挥中心、各级管理员、网格员和部门人员建立账号并分配角色与所属单位。",
        action: "管理人员",
      },
    },
  },
};
