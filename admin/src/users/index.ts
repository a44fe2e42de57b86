import { lazy } from "react";
import PeopleIcon from "@mui/icons-material/People";

/** Staff accounts and their role assignments. */
export const users = {
  list: lazy(() => import("./List.tsx")),
  show: lazy(() => import("./Show.tsx")),
  edit: lazy(() => import("./Edit.tsx")),
  create: lazy(() => import("./Create.tsx")),
  icon: PeopleIcon,
  recordRepresentation: "displayName",
};
export default users;
