import { lazy } from "react";
import AssignmentIcon from "@mui/icons-material/Assignment";

/** Cases (事件): the desk (queues), the case page with its actions, the report form. */
export const cases = {
  list: lazy(() => import("./Desk.tsx")),
  show: lazy(() => import("./Show.tsx")),
  create: lazy(() => import("./Create.tsx")),
  icon: AssignmentIcon,
  recordRepresentation: "number",
};
export default cases;
