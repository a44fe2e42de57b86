import { lazy } from "react";
import HistoryIcon from "@mui/icons-material/History";

/** The audit trail (read-only). */
export const audit = {
  list: lazy(() => import("./List.tsx")),
  icon: HistoryIcon,
};
export default audit;
