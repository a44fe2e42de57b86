import { lazy } from "react";
import AccountTreeIcon from "@mui/icons-material/AccountTree";

/** Units (county → street → community → grid → micro-grid), code-split per page. */
export const units = {
  list: lazy(() => import("./List.tsx")),
  show: lazy(() => import("./Show.tsx")),
  edit: lazy(() => import("./Edit.tsx")),
  create: lazy(() => import("./Create.tsx")),
  icon: AccountTreeIcon,
  recordRepresentation: "name",
};
export default units;
