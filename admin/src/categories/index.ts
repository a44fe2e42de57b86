import { lazy } from "react";
import CategoryIcon from "@mui/icons-material/Category";

/** Case categories: two levels, responsible departments, time limits per stage. */
export const categories = {
  list: lazy(() => import("./List.tsx")),
  show: lazy(() => import("./Show.tsx")),
  edit: lazy(() => import("./Edit.tsx")),
  create: lazy(() => import("./Create.tsx")),
  icon: CategoryIcon,
  recordRepresentation: "name",
};
export default categories;
