/** Console messages of the first-run guide (English); merged by i18n/en.ts. */
export default {
  app: {
    setup: {
      title: "First-run guide",
      heading: "Setting up %{county} (%{code})",
      intro: "Set up the county step by step: %{done} of %{total} steps done. Each step's state comes from the data, so you can leave and resume at any time.",
      state_done: "Done",
      state_left: "To do",
      count: "%{count} so far",
      divisions: {
        title: "Townships and villages",
        done: "%{count} townships and villages/communities created",
        found: "%{province} %{city} %{county}: %{streets} townships/streets, %{villages} villages/communities. Untick what is not yours; names can be edited in place.",
        source: "Source",
        short_names: "Use working names (\"…社区居委会\" becomes \"…社区\", \"…村委会\" becomes \"…村\")",
        code: "Division code",
        name: "Name",
        official: "Statistical name",
        state: "State",
        new: "New",
        exists: "Exists",
        renamed: "Exists (now: %{name})",
        expand: "Show villages",
        collapse: "Hide",
        import: "Import %{count} units",
        summary: "%{picked} ticked, %{rows} to create or rename; units that exist with the same name are not written again.",
        missing: "The national divisions have no code %{code}: create the townships and villages on the Units page, or import a file.",
        levels_differ: "This county's level code widths differ from the statistical codes (3 digits for townships, 3 for villages), so the national divisions cannot be used directly: import a file or create units by hand.",
      },
      boundaries: {
        title: "Boundaries",
        done: "%{with} of %{total} units have a boundary",
        help: "Import the county GIS office's boundary file (GeoJSON or CSV with WKT): it routes cases to grids by location and draws the maps.",
        action: "Import boundaries",
      },
      departments: {
        title: "Departments",
        help: "Create the departments that handle cases (urban management, housing, market supervision…); dispatchers choose from them.",
        action: "Manage departments",
      },
      categories: {
        title: "Case categories",
        help: "Create the case categories and their stage deadlines; reports pick a category without children.",
        action: "Manage categories",
      },
      staff: {
        title: "Staff and roles",
        help: "Create accounts for the dispatch centre, unit admins, grid workers and department staff, with their roles and units.",
        action: "Manage staff",
      },
    },
  },
};
