import { lazy } from "react";
import CorporateFareIcon from "@mui/icons-material/CorporateFare";

/** Functional departments (职能部门) and the units they serve. */
export const departments = {
  list: lazy(() => import("./List.tsx")),
  show: lazy(() => import("./Show.tsx")),
  edit: lazy(() => import("./Edit.tsx")),
  create: lazy(() => import("./Create.tsx")),
  icon: CorporateFareIcon,
  recordRepresentation: "name",
};
export default departments;
