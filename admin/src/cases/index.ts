import { lazy } from "react";
import AssignmentIcon from "@mui/icons-material/Assignment";

/** Cases (事件): list only for now. */
export const cases = {
  list: lazy(() => import("./List.tsx")),
  icon: AssignmentIcon,
  recordRepresentation: "number",
};
export default cases;
